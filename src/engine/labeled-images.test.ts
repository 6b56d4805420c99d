import { describe, expect, it } from 'vitest';
import { sliceLabeledImages } from './labeled-images';
import { INPUT_SIZE } from './shapes';

describe('sliceLabeledImages', () => {
  const set = {
    images: Uint8Array.from({ length: 5 * INPUT_SIZE }, (_, i) => Math.floor(i / INPUT_SIZE)),
    labels: Uint8Array.from([0, 1, 2, 3, 4]),
    count: 5,
  };

  it('returns views on the same memory', () => {
    const slice = sliceLabeledImages(set, 2, 2);
    expect(slice.count).toBe(2);
    expect(Array.from(slice.labels)).toEqual([2, 3]);
    expect(slice.images.length).toBe(2 * INPUT_SIZE);
    expect(slice.images[0]).toBe(2);
    expect(slice.images[INPUT_SIZE]).toBe(3);
    expect(slice.images.buffer).toBe(set.images.buffer);
  });

  it('rejects ranges outside the set', () => {
    expect(() => sliceLabeledImages(set, 4, 2)).toThrow(RangeError);
    expect(() => sliceLabeledImages(set, -1, 1)).toThrow(RangeError);
  });
});
