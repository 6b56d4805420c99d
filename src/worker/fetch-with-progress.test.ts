import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataFileError } from '../data/data-file-error';
import { fetchAllWithProgress } from './fetch-with-progress';
import type { FileToFetch } from './fetch-with-progress';

interface FakeFile {
  readonly chunks?: readonly Uint8Array[];
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Declare Content-Length from the chunks (default true). */
  readonly sized?: boolean;
  /** Error the body after the chunks instead of closing it. */
  readonly failAfterChunks?: boolean;
  /** Never finish the body; the test expects it to be cancelled. */
  readonly hang?: boolean;
}

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

const FILES: FileToFetch[] = [
  { file: 'a.gz', url: 'http://test/mnist/a.gz' },
  { file: 'b.gz', url: 'http://test/mnist/b.gz' },
];

/** Installs a fetch that serves `served` by URL and records the signals it was given. */
function serve(served: Record<string, FakeFile>): { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const fake = served[url];
    if (fake === undefined) throw new TypeError('fetch failed');
    if (init?.signal) signals.push(init.signal);
    const chunks = fake.chunks ?? [];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        if (fake.failAfterChunks) controller.error(new TypeError('terminated'));
        else if (!fake.hang) controller.close();
      },
    });
    init?.signal?.throwIfAborted();
    const length = chunks.reduce((total, chunk) => total + chunk.length, 0);
    const headers = new Headers(fake.headers);
    if (fake.sized !== false) headers.set('content-length', String(length));
    return new Response(body, { status: fake.status ?? 200, headers });
  });
  return { signals };
}

async function failure(run: () => Promise<unknown>): Promise<DataFileError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error('expected a DataFileError, but the download succeeded');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('fetchAllWithProgress', () => {
  it('returns each body in order and ends with the full byte count', async () => {
    serve({
      [FILES[0].url]: { chunks: [bytes(3, 1), bytes(4, 2)] },
      [FILES[1].url]: { chunks: [bytes(5, 3)] },
    });
    const progress: [number, number][] = [];
    const [a, b] = await fetchAllWithProgress(FILES, (loaded, total) => progress.push([loaded, total]));
    expect(Array.from(a)).toEqual([1, 1, 1, 2, 2, 2, 2]);
    expect(Array.from(b)).toEqual([3, 3, 3, 3, 3]);
    expect(progress.at(-1)).toEqual([12, 12]);
    for (const [loaded, total] of progress) {
      expect(loaded).toBeLessThanOrEqual(12);
      expect([0, 12]).toContain(total);
    }
  });

  it('reports a total of 0 while any size is unknown', async () => {
    serve({
      [FILES[0].url]: { chunks: [bytes(3, 1)] },
      [FILES[1].url]: { chunks: [bytes(5, 3)], sized: false },
    });
    const progress: [number, number][] = [];
    await fetchAllWithProgress(FILES, (loaded, total) => progress.push([loaded, total]));
    expect(progress.at(-1)).toEqual([8, 0]);
  });

  it('ignores Content-Length of an encoded body, which counts compressed bytes', async () => {
    serve({
      [FILES[0].url]: { chunks: [bytes(3, 1)], headers: { 'content-encoding': 'gzip' } },
      [FILES[1].url]: { chunks: [bytes(5, 3)] },
    });
    const progress: [number, number][] = [];
    await fetchAllWithProgress(FILES, (loaded, total) => progress.push([loaded, total]));
    expect(progress.at(-1)).toEqual([8, 0]);
  });

  it('uses the known decoded size of an encoded body as its total', async () => {
    serve({
      [FILES[0].url]: { chunks: [bytes(3, 1)], headers: { 'content-encoding': 'gzip', 'content-length': '2' } },
      [FILES[1].url]: { chunks: [bytes(5, 3)] },
    });
    const progress: [number, number][] = [];
    await fetchAllWithProgress([{ ...FILES[0], decodedSize: 3 }, FILES[1]], (loaded, total) => progress.push([loaded, total]));
    expect(progress.at(-1)).toEqual([8, 8]);
  });

  it('reports at most once per 50 ms of clock time, plus a final report', async () => {
    const chunks = Array.from({ length: 40 }, () => bytes(10, 7));
    serve({ [FILES[0].url]: { chunks }, [FILES[1].url]: { chunks } });

    vi.spyOn(Date, 'now').mockReturnValue(1_000);
    const frozen: number[] = [];
    await fetchAllWithProgress(FILES, (loaded) => frozen.push(loaded));
    // The clock never moves: only the first chunk and the final summary are reported.
    expect(frozen).toEqual([10, 800]);

    let now = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => (now += 60));
    const ticking: number[] = [];
    await fetchAllWithProgress(FILES, (loaded) => ticking.push(loaded));
    // Every read is 60 ms apart, so every one of the 80 chunks is reported, then the end.
    expect(ticking).toHaveLength(81);
    expect(ticking.at(-1)).toBe(800);
  });

  it('turns HTTP 404 into data-missing naming the file, the URL and the fix', async () => {
    serve({ [FILES[0].url]: { chunks: [bytes(1, 1)] }, [FILES[1].url]: { status: 404 } });
    const error = await failure(() => fetchAllWithProgress(FILES, () => undefined));
    expect(error.code).toBe('data-missing');
    expect(error.file).toBe('b.gz');
    expect(error.message).toContain('b.gz was not found at http://test/mnist/b.gz (HTTP 404)');
    expect(error.message).toContain('Run the install step');
  });

  it('treats an HTML page served for a .gz file as missing', async () => {
    serve({
      [FILES[0].url]: { chunks: [new TextEncoder().encode('<!doctype html>')], headers: { 'content-type': 'text/html; charset=utf-8' } },
      [FILES[1].url]: { chunks: [bytes(1, 1)] },
    });
    const error = await failure(() => fetchAllWithProgress(FILES, () => undefined));
    expect(error.code).toBe('data-missing');
    expect(error.file).toBe('a.gz');
    expect(error.message).toContain('answered with an HTML page');
  });

  it('turns other HTTP errors into data-network', async () => {
    serve({ [FILES[0].url]: { status: 503 }, [FILES[1].url]: { chunks: [bytes(1, 1)] } });
    const error = await failure(() => fetchAllWithProgress(FILES, () => undefined));
    expect(error.code).toBe('data-network');
    expect(error.file).toBe('a.gz');
    expect(error.message).toContain('HTTP 503');
  });

  it('turns a failed request into data-network', async () => {
    serve({ [FILES[0].url]: { chunks: [bytes(1, 1)] } });
    const error = await failure(() => fetchAllWithProgress(FILES, () => undefined));
    expect(error.code).toBe('data-network');
    expect(error.file).toBe('b.gz');
    expect(error.message).toContain('Check the network');
  });

  it('turns a body cut off mid-stream into data-network and cancels the other downloads', async () => {
    const { signals } = serve({
      [FILES[0].url]: { chunks: [bytes(2, 1)], hang: true },
      [FILES[1].url]: { chunks: [bytes(2, 1)], failAfterChunks: true },
    });
    const error = await failure(() => fetchAllWithProgress(FILES, () => undefined));
    expect(error.code).toBe('data-network');
    expect(error.file).toBe('b.gz');
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('rejects with the caller’s abort reason, not a data error', async () => {
    serve({ [FILES[0].url]: { chunks: [bytes(1, 1)] }, [FILES[1].url]: { chunks: [bytes(1, 1)] } });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(fetchAllWithProgress(FILES, () => undefined, controller.signal)).rejects.toBe(reason);
  });
});
