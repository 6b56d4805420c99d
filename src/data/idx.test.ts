import { describe, expect, it } from 'vitest';
import {
  buildIdxImages,
  buildIdxLabels,
  cyclingLabels,
  truncated,
  withTrailingBytes,
} from '../../tests/fixtures/idx-builders';
import { DataFileError } from './data-file-error';
import { parseIdxImages, parseIdxLabels } from './idx';

const IMAGES = 't10k-images-idx3-ubyte.gz';
const LABELS = 't10k-labels-idx1-ubyte.gz';

function failure(run: () => unknown): DataFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error('expected a DataFileError, but parsing succeeded');
}

describe('parseIdxImages', () => {
  it('reads the header and returns the pixels as a view', () => {
    const bytes = buildIdxImages({ count: 3 });
    const parsed = parseIdxImages(bytes, IMAGES, 3);
    expect(parsed).toMatchObject({ count: 3, rows: 28, cols: 28 });
    expect(parsed.pixels.length).toBe(3 * 784);
    expect(parsed.pixels.buffer).toBe(bytes.buffer);
    // Image 2, pixel 5 of the builder's pattern.
    expect(parsed.pixels[2 * 784 + 5]).toBe((2 * 7 + 5) % 256);
  });

  it('honours the byte offset of a view into a larger buffer', () => {
    const file = buildIdxImages({ count: 2 });
    const container = new Uint8Array(file.length + 5);
    container.set(file, 5);
    const parsed = parseIdxImages(container.subarray(5), IMAGES, 2);
    expect(parsed.count).toBe(2);
    expect(Array.from(parsed.pixels.subarray(0, 4))).toEqual([0, 1, 2, 3]);
  });

  it('accepts any count when none is expected', () => {
    expect(parseIdxImages(buildIdxImages({ count: 4 }), IMAGES).count).toBe(4);
  });

  it('rejects a file shorter than the header', () => {
    const error = failure(() => parseIdxImages(new Uint8Array(10), IMAGES));
    expect(error.code).toBe('data-corrupt');
    expect(error.file).toBe(IMAGES);
    expect(error.message).toBe(
      `${IMAGES} is too short to be an IDX file: expected at least 16 header bytes, found 10.`,
    );
  });

  it('rejects a bad magic number, and recognises a labels file given as images', () => {
    const bad = failure(() => parseIdxImages(buildIdxImages({ count: 1, magic: 1234 }), IMAGES));
    expect(bad.message).toBe(`${IMAGES} is not an IDX images file: expected magic number 2051, found 1234.`);
    const swapped = failure(() => parseIdxImages(buildIdxLabels({ labels: cyclingLabels(20) }), IMAGES));
    expect(swapped.message).toContain('found 2049 (it looks like an IDX labels file)');
  });

  it('rejects images that are not 28×28', () => {
    const error = failure(() => parseIdxImages(buildIdxImages({ count: 2, rows: 32, cols: 32 }), IMAGES));
    expect(error.message).toBe(`${IMAGES} has 32×32 images: expected 28×28.`);
  });

  it('rejects a count that differs from the expected one', () => {
    const error = failure(() => parseIdxImages(buildIdxImages({ count: 3 }), IMAGES, 10_000));
    expect(error.message).toBe(`${IMAGES} holds 3 images: expected 10,000.`);
  });

  it('reports a truncated file with expected and found sizes', () => {
    const error = failure(() => parseIdxImages(truncated(buildIdxImages({ count: 3 }), 1000), IMAGES, 3));
    expect(error.code).toBe('data-corrupt');
    expect(error.message).toBe(`${IMAGES} is truncated: expected 2,368 bytes, found 1,000.`);
  });

  it('reports a header count larger than the data as truncation', () => {
    const error = failure(() => parseIdxImages(buildIdxImages({ count: 2, headerCount: 3 }), IMAGES));
    expect(error.message).toBe(`${IMAGES} is truncated: expected 2,368 bytes, found 1,584.`);
  });

  it('rejects trailing bytes', () => {
    const error = failure(() => parseIdxImages(withTrailingBytes(buildIdxImages({ count: 1 }), 7), IMAGES, 1));
    expect(error.message).toBe(`${IMAGES} has 7 trailing bytes: expected 800 bytes, found 807.`);
  });
});

describe('parseIdxLabels', () => {
  it('reads labels as a view', () => {
    const bytes = buildIdxLabels({ labels: [7, 2, 1, 0, 4] });
    const parsed = parseIdxLabels(bytes, LABELS, 5);
    expect(parsed.count).toBe(5);
    expect(Array.from(parsed.labels)).toEqual([7, 2, 1, 0, 4]);
    expect(parsed.labels.buffer).toBe(bytes.buffer);
  });

  it('rejects a short header, a bad magic number and an images file', () => {
    expect(failure(() => parseIdxLabels(new Uint8Array(3), LABELS)).message).toBe(
      `${LABELS} is too short to be an IDX file: expected at least 8 header bytes, found 3.`,
    );
    expect(failure(() => parseIdxLabels(buildIdxLabels({ labels: [1], magic: 7 }), LABELS)).message).toBe(
      `${LABELS} is not an IDX labels file: expected magic number 2049, found 7.`,
    );
    expect(failure(() => parseIdxLabels(buildIdxImages({ count: 1 }), LABELS)).message).toContain(
      'it looks like an IDX images file',
    );
  });

  it('rejects a wrong count, truncation and trailing bytes', () => {
    const labels = buildIdxLabels({ labels: cyclingLabels(5000) });
    expect(failure(() => parseIdxLabels(labels, LABELS, 10_000)).message).toBe(
      `${LABELS} holds 5,000 labels: expected 10,000.`,
    );
    const cut = buildIdxLabels({ labels: cyclingLabels(4992), headerCount: 10_000 });
    expect(failure(() => parseIdxLabels(cut, LABELS, 10_000)).message).toBe(
      `${LABELS} is truncated: expected 10,008 bytes, found 5,000.`,
    );
    expect(failure(() => parseIdxLabels(withTrailingBytes(labels, 1), LABELS, 5000)).message).toBe(
      `${LABELS} has 1 trailing bytes: expected 5,008 bytes, found 5,009.`,
    );
  });

  it('rejects a label outside 0–9 and says where it is', () => {
    const labels = cyclingLabels(2000);
    labels[1234] = 12;
    const error = failure(() => parseIdxLabels(buildIdxLabels({ labels }), LABELS, 2000));
    expect(error.code).toBe('data-corrupt');
    expect(error.file).toBe(LABELS);
    expect(error.message).toBe(`${LABELS} has label 12 at position 1,234: expected a digit 0–9.`);
  });
});
