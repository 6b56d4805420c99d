// Gzip decompression through the platform's DecompressionStream (Chromium and Node 20 both
// have it), so the data layer needs no library. This folder compiles without the DOM lib,
// hence the minimal structural types below instead of the real stream declarations.

import { DataFileError } from './data-file-error';

interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
}

interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

interface DecompressionStreamLike {
  readonly readable: { getReader(): ByteReader };
  readonly writable: { getWriter(): ByteWriter };
}

type DecompressionStreamConstructor = new (format: 'gzip') => DecompressionStreamLike;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * Decompresses `bytes` if they are gzip. Some servers (Vite's dev server among them) send a
 * .gz file with `Content-Encoding: gzip`, so the browser hands over bytes that are already
 * decompressed; those pass through unchanged.
 */
export async function gunzipIfNeeded(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const Decompression = (globalThis as { DecompressionStream?: DecompressionStreamConstructor })
    .DecompressionStream;
  if (Decompression === undefined) {
    throw new Error('This environment has no DecompressionStream, so it cannot unpack the MNIST files.');
  }
  const stream = new Decompression('gzip');
  const writer = stream.writable.getWriter();
  // Feed and drain concurrently: awaiting the write first would deadlock on backpressure.
  // A corrupt stream rejects the reader as well, so the writer's rejection is only observed.
  const fed = writer.write(bytes).then(() => writer.close());
  fed.catch(() => undefined);

  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value !== undefined) {
        chunks.push(value);
        length += value.length;
      }
    }
    await fed;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataFileError(
      'data-corrupt',
      file,
      `${file} is not a valid gzip file (${reason}). It may be truncated or damaged; run the install step again.`,
    );
  }
  return concatChunks(chunks, length);
}

function concatChunks(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
