// Fixed MNIST shapes and the one parameter layout every backend shares, so parameter
// vectors can be compared element by element across backends.

export const IMAGE_SIDE = 28;
export const INPUT_SIZE = IMAGE_SIDE * IMAGE_SIDE;
export const CLASS_COUNT = 10;

/**
 * Offsets into the flat parameter vector [W1 | b1 | W2 | b2].
 * W1 is input-major (W1[i, h] at w1 + i * hiddenSize + h) so one input pixel's weights are
 * contiguous and a zero pixel's whole row can be skipped. W2 is hidden-major
 * (W2[h, k] at w2 + h * CLASS_COUNT + k) so an inactive ReLU unit's row can be skipped.
 */
export interface ParameterLayout {
  readonly hiddenSize: number;
  readonly w1: number;
  readonly b1: number;
  readonly w2: number;
  readonly b2: number;
  /** Total number of parameters. */
  readonly size: number;
}

export function parameterLayout(hiddenSize: number): ParameterLayout {
  if (!Number.isInteger(hiddenSize) || hiddenSize < 1) {
    throw new RangeError(`hiddenSize must be a positive integer, got ${hiddenSize}`);
  }
  const b1 = INPUT_SIZE * hiddenSize;
  const w2 = b1 + hiddenSize;
  const b2 = w2 + hiddenSize * CLASS_COUNT;
  return { hiddenSize, w1: 0, b1, w2, b2, size: b2 + CLASS_COUNT };
}
