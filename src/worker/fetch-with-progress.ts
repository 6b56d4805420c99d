// Downloads the MNIST files in parallel and reports the summed byte count as it streams in,
// so the page can show one progress bar for the ~11 MB. Failures become DataFileErrors
// whose code tells the UI whether to point at the install step or at the network.

import { DataFileError } from '../data/data-file-error';

export interface FileToFetch {
  readonly file: string;
  readonly url: string;
  /**
   * The file's size once decompressed. Servers that send a .gz with Content-Encoding: gzip
   * (Vite's preview server does) hand us decoded bytes, so this is then the file's total.
   */
  readonly decodedSize?: number;
}

export type ProgressListener = (loadedBytes: number, totalBytes: number) => void;

/** About 20 reports a second: smooth for a progress bar, negligible message traffic. */
const PROGRESS_INTERVAL_MS = 50;

/**
 * Fetches every file and returns their bytes in the order given. totalBytes is the sum of
 * the Content-Length headers once every response has arrived with one, else 0. The first
 * failure cancels the other downloads; an abort through `signal` rejects with its reason.
 */
export async function fetchAllWithProgress(
  files: readonly FileToFetch[],
  onProgress: ProgressListener,
  signal?: AbortSignal,
): Promise<Uint8Array[]> {
  const cancelOthers = new AbortController();
  const combined = signal === undefined ? cancelOthers.signal : AbortSignal.any([signal, cancelOthers.signal]);
  const loaded = new Array<number>(files.length).fill(0);
  const sizes = new Array<number | undefined>(files.length).fill(undefined);
  let sizesKnown = 0;
  let lastReportMs = -Infinity;

  const report = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastReportMs < PROGRESS_INTERVAL_MS) return;
    lastReportMs = now;
    const totalBytes = sizesKnown === files.length ? sum(sizes) : 0;
    onProgress(sum(loaded), totalBytes);
  };

  const fetchOne = async ({ file, url, decodedSize }: FileToFetch, index: number): Promise<Uint8Array> => {
    const response = await request(file, url, combined);
    const size = declaredSize(response, decodedSize);
    if (size !== undefined) {
      sizes[index] = size;
      sizesKnown++;
    }
    return readBody(response, file, url, combined, (bytes) => {
      loaded[index] = bytes;
      report(false);
    });
  };

  try {
    const results = await Promise.all(files.map(fetchOne));
    report(true);
    return results;
  } catch (error) {
    cancelOthers.abort();
    throw error;
  }
}

async function request(file: string, url: string, signal: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    throw networkFailure(file, url, error, signal);
  }
  if (response.status === 404) {
    throw missing(file, `was not found at ${url} (HTTP 404)`);
  }
  if (!response.ok) {
    throw new DataFileError(
      'data-network',
      file,
      `Downloading ${file} from ${url} failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}. Retry in a moment.`,
    );
  }
  // A single-page-app server answers unknown paths with index.html and status 200.
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    throw missing(file, `was not found at ${url} (the server answered with an HTML page)`);
  }
  return response;
}

/**
 * Content-Length counts the bytes on the wire; when the server also sets Content-Encoding
 * the body we read is decoded and larger, so the header would make progress overshoot and
 * only the known decoded size (if given) can stand in.
 */
function declaredSize(response: Response, decodedSize: number | undefined): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding !== 'identity') return decodedSize;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  return Number.isInteger(length) && length >= 0 ? length : undefined;
}

async function readBody(
  response: Response,
  file: string,
  url: string,
  signal: AbortSignal,
  onBytes: (loadedBytes: number) => void,
): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
      onBytes(length);
    }
  } catch (error) {
    throw networkFailure(file, url, error, signal);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function networkFailure(file: string, url: string, error: unknown, signal: AbortSignal): unknown {
  // Cancellation is not a network problem: let the caller see its own abort reason.
  if (signal.aborted) return signal.reason;
  const reason = error instanceof Error ? error.message : String(error);
  return new DataFileError(
    'data-network',
    file,
    `Downloading ${file} from ${url} failed (${reason}). Check the network connection and retry.`,
  );
}

function missing(file: string, what: string): DataFileError {
  return new DataFileError(
    'data-missing',
    file,
    `${file} ${what}. Run the install step (npm install, or npx tsx scripts/install-mnist.ts) so public/mnist/ holds the four MNIST files.`,
  );
}

function sum(values: readonly (number | undefined)[]): number {
  let total = 0;
  for (const value of values) total += value ?? 0;
  return total;
}
