// The four MNIST files: what they hold and how to recognise the genuine content.
// Read by the install script, the worker and the data tests.

export type MnistFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface MnistFileInfo {
  readonly role: MnistFileRole;
  /** Gzipped file name, as served from `public/mnist/` and on the public mirrors. */
  readonly fileName: string;
  /** MD5 of the decompressed bytes; the gzip wrapper itself varies between copies. */
  readonly decompressedMd5: string;
  readonly kind: 'images' | 'labels';
  readonly count: number;
}

/** IDX header bytes: magic and count, plus rows and columns for images. */
const IMAGE_HEADER_BYTES = 16;
const LABEL_HEADER_BYTES = 8;
const IMAGE_BYTES = 28 * 28;

/** The exact size of a file once decompressed. */
export function decompressedSize(info: MnistFileInfo): number {
  return info.kind === 'images' ? IMAGE_HEADER_BYTES + info.count * IMAGE_BYTES : LABEL_HEADER_BYTES + info.count;
}

export const MNIST_FILES: readonly MnistFileInfo[] = [
  {
    role: 'trainImages',
    fileName: 'train-images-idx3-ubyte.gz',
    decompressedMd5: '6bbc9ace898e44ae57da46a324031adb',
    kind: 'images',
    count: 60_000,
  },
  {
    role: 'trainLabels',
    fileName: 'train-labels-idx1-ubyte.gz',
    decompressedMd5: 'a25bea736e30d166cdddb491f175f624',
    kind: 'labels',
    count: 60_000,
  },
  {
    role: 'testImages',
    fileName: 't10k-images-idx3-ubyte.gz',
    decompressedMd5: '2646ac647ad5339dbf082846283269ea',
    kind: 'images',
    count: 10_000,
  },
  {
    role: 'testLabels',
    fileName: 't10k-labels-idx1-ubyte.gz',
    decompressedMd5: '27ae3e4e09519cfbb04c329615203637',
    kind: 'labels',
    count: 10_000,
  },
];

/** Where the page serves the files from, relative to the app's base URL. */
export const MNIST_PUBLIC_DIR = 'mnist';

/** The notebook's split: the first 54,000 training images train, the last 6,000 validate. */
export const TRAIN_SPLIT_SIZE = 54_000;
export const VALIDATION_SPLIT_SIZE = 6_000;
