// Parsers for the IDX format (http://yann.lecun.com/exdb/mnist/): a big-endian header, then
// one unsigned byte per pixel or label. Validation is strict because a half-downloaded or
// wrong file otherwise shows up much later as a network that mysteriously fails to learn.
// Results are views into the input, so 47 MB of pixels are never copied.

import { DataFileError, formatCount } from './data-file-error';

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;
export const IDX_IMAGES_HEADER_BYTES = 16;
export const IDX_LABELS_HEADER_BYTES = 8;
export const MNIST_IMAGE_SIDE = 28;
const LABEL_CLASSES = 10;

export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count × rows × cols bytes, row-major, 0 = background. */
  readonly pixels: Uint8Array;
}

export interface IdxLabels {
  readonly count: number;
  /** One class 0..9 per image. */
  readonly labels: Uint8Array;
}

export function parseIdxImages(bytes: Uint8Array, file: string, expectedCount?: number): IdxImages {
  const header = readHeader(bytes, file, IDX_IMAGES_HEADER_BYTES, IDX_IMAGES_MAGIC);
  const count = header.getUint32(4);
  const rows = header.getUint32(8);
  const cols = header.getUint32(12);
  if (rows !== MNIST_IMAGE_SIDE || cols !== MNIST_IMAGE_SIDE) {
    throw corrupt(file, `has ${rows}×${cols} images: expected ${MNIST_IMAGE_SIDE}×${MNIST_IMAGE_SIDE}`);
  }
  checkCount(file, count, expectedCount, 'images');
  const pixelCount = count * rows * cols;
  checkLength(bytes, file, IDX_IMAGES_HEADER_BYTES + pixelCount);
  return { count, rows, cols, pixels: bytes.subarray(IDX_IMAGES_HEADER_BYTES) };
}

export function parseIdxLabels(bytes: Uint8Array, file: string, expectedCount?: number): IdxLabels {
  const header = readHeader(bytes, file, IDX_LABELS_HEADER_BYTES, IDX_LABELS_MAGIC);
  const count = header.getUint32(4);
  checkCount(file, count, expectedCount, 'labels');
  checkLength(bytes, file, IDX_LABELS_HEADER_BYTES + count);
  const labels = bytes.subarray(IDX_LABELS_HEADER_BYTES);
  const bad = labels.findIndex((label) => label >= LABEL_CLASSES);
  if (bad !== -1) {
    throw corrupt(file, `has label ${labels[bad]} at position ${formatCount(bad)}: expected a digit 0–9`);
  }
  return { count, labels };
}

function readHeader(bytes: Uint8Array, file: string, headerBytes: number, magic: number): DataView {
  if (bytes.length < headerBytes) {
    throw corrupt(
      file,
      `is too short to be an IDX file: expected at least ${headerBytes} header bytes, found ${formatCount(bytes.length)}`,
    );
  }
  const header = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const found = header.getUint32(0);
  if (found !== magic) {
    // Swapped image and label files are a plausible mistake, so name it when we see it.
    const hint = found === otherMagic(magic) ? ` (it looks like an IDX ${describeMagic(found)} file)` : '';
    throw corrupt(
      file,
      `is not an IDX ${describeMagic(magic)} file: expected magic number ${magic}, found ${found}${hint}`,
    );
  }
  return header;
}

function otherMagic(magic: number): number {
  return magic === IDX_IMAGES_MAGIC ? IDX_LABELS_MAGIC : IDX_IMAGES_MAGIC;
}

function describeMagic(magic: number): string {
  return magic === IDX_IMAGES_MAGIC ? 'images' : 'labels';
}

function checkCount(file: string, count: number, expectedCount: number | undefined, noun: string): void {
  if (expectedCount !== undefined && count !== expectedCount) {
    throw corrupt(file, `holds ${formatCount(count)} ${noun}: expected ${formatCount(expectedCount)}`);
  }
}

function checkLength(bytes: Uint8Array, file: string, expectedBytes: number): void {
  if (bytes.length < expectedBytes) {
    throw corrupt(file, `is truncated: expected ${formatCount(expectedBytes)} bytes, found ${formatCount(bytes.length)}`);
  }
  if (bytes.length > expectedBytes) {
    throw corrupt(
      file,
      `has ${formatCount(bytes.length - expectedBytes)} trailing bytes: expected ${formatCount(expectedBytes)} bytes, found ${formatCount(bytes.length)}`,
    );
  }
}

function corrupt(file: string, problem: string): DataFileError {
  return new DataFileError('data-corrupt', file, `${file} ${problem}.`);
}
