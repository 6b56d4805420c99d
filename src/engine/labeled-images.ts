import { INPUT_SIZE } from './shapes';

/** Images as raw bytes (0..255), `count` rows of INPUT_SIZE, with one label (0..9) each. */
export interface LabeledImages {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** Images [start, start + count) as views on the same memory: nothing is copied. */
export function sliceLabeledImages(set: LabeledImages, start: number, count: number): LabeledImages {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > set.count) {
    throw new RangeError(`Cannot slice [${start}, ${start + count}) from a set of ${set.count} images`);
  }
  return {
    images: set.images.subarray(start * INPUT_SIZE, (start + count) * INPUT_SIZE),
    labels: set.labels.subarray(start, start + count),
    count,
  };
}
