import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIdxLabels, cyclingLabels, realMnistDir } from '../../tests/fixtures/idx-builders';
import { MNIST_FILES } from '../shared/mnist-files';
import type { MnistFileRole } from '../shared/mnist-files';
import { DataFileError } from './data-file-error';
import { gunzipIfNeeded } from './gunzip';
import { assembleMnist } from './mnist';
import type { DecompressedMnist, MnistSets } from './mnist';

// The real files, read and decompressed once through the production gunzip path.
let decompressed: DecompressedMnist;
let sets: MnistSets;

beforeAll(async () => {
  const dir = realMnistDir();
  const entries = await Promise.all(
    MNIST_FILES.map(async (info): Promise<[MnistFileRole, Uint8Array]> => {
      const packed = new Uint8Array(readFileSync(join(dir, info.fileName)));
      return [info.role, await gunzipIfNeeded(packed, info.fileName)];
    }),
  );
  decompressed = Object.fromEntries(entries) as Record<MnistFileRole, Uint8Array>;
  sets = assembleMnist(decompressed);
});

describe('assembleMnist on the real files', () => {
  it('splits 60,000 training images into 54,000 train and 6,000 validation', () => {
    expect(sets.train.count).toBe(54_000);
    expect(sets.train.images.length).toBe(54_000 * 784);
    expect(sets.train.labels.length).toBe(54_000);
    expect(sets.validation.count).toBe(6_000);
    expect(sets.validation.images.length).toBe(6_000 * 784);
    expect(sets.validation.labels.length).toBe(6_000);
  });

  it('keeps the 10,000 test images apart', () => {
    expect(sets.test.count).toBe(10_000);
    expect(sets.test.images.length).toBe(10_000 * 784);
    expect(sets.test.labels.length).toBe(10_000);
  });

  it('starts each set with the canonical labels', () => {
    expect(Array.from(sets.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(sets.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    // Validation begins at training image 54,000: its label is that file's byte 8 + 54,000.
    expect(sets.validation.labels[0]).toBe(decompressed.trainLabels[8 + 54_000]);
    expect(sets.validation.images[0 + 14 * 28 + 14]).toBe(decompressed.trainImages[16 + 54_000 * 784 + 14 * 28 + 14]);
  });

  it('returns views that share the decompressed buffers', () => {
    expect(sets.train.images.buffer).toBe(decompressed.trainImages.buffer);
    expect(sets.validation.labels.buffer).toBe(decompressed.trainLabels.buffer);
    expect(sets.test.images.buffer).toBe(decompressed.testImages.buffer);
  });

  it('holds real pixels: the first training image is a drawn digit, not blank', () => {
    const first = sets.train.images.subarray(0, 784);
    const inked = first.filter((value) => value > 128).length;
    expect(inked).toBeGreaterThan(50);
    expect(inked).toBeLessThan(400);
  });
});

describe('assembleMnist on bad input', () => {
  function failure(input: DecompressedMnist): DataFileError {
    try {
      assembleMnist(input);
    } catch (error) {
      if (error instanceof DataFileError) return error;
      throw error;
    }
    throw new Error('expected a DataFileError');
  }

  it('rejects a labels file whose count disagrees with its images', () => {
    const short = buildIdxLabels({ labels: cyclingLabels(59_999) });
    const error = failure({ ...decompressed, trainLabels: short });
    expect(error.file).toBe('train-labels-idx1-ubyte.gz');
    expect(error.message).toBe('train-labels-idx1-ubyte.gz holds 59,999 labels: expected 60,000.');
  });

  it('rejects swapped test files, naming the first one it reads', () => {
    const error = failure({ ...decompressed, testImages: decompressed.testLabels });
    expect(error.file).toBe('t10k-images-idx3-ubyte.gz');
    expect(error.message).toContain('expected magic number 2051, found 2049');
  });
});
