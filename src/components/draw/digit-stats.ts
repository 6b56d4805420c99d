// Shape statistics of a 28×28 digit, and the values they take on MNIST. The preprocessing
// aims drawn digits at these numbers; the tests re-measure them on the real training set.

export const DIGIT_SIDE = 28;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;

/**
 * Means over all 60,000 MNIST training images (intensities scaled to 0..1), measured with
 * `measureDigit` below; `digit-preprocess.test.ts` re-measures them from the gz files.
 */
export const MNIST_SHAPE = {
  /** Sum of intensities (std 34; per class from 60 for "1" to 136 for "0"). */
  ink: 102.4,
  /** Longest side of the box around pixels > 0: exactly 20 in 59,987 of 60,000 images. */
  longestSide: 20,
  /** Box height and width (pixels > 0). */
  height: 19.74,
  width: 15.68,
  /** Intensity-weighted centroid in pixel-index coordinates (std 0.29 on each axis). */
  centroidX: 14.0,
  centroidY: 14.0,
  /** 2·ink / total variation (median 2.36, 5th–95th percentile 1.6–3.6). */
  strokeWidth: 2.45,
} as const;

export interface DigitStats {
  readonly ink: number;
  /** Size of the box around pixels > 0. */
  readonly width: number;
  readonly height: number;
  /** Intensity-weighted centroid; pixel (i, j) sits at x = j, y = i. */
  readonly centroidX: number;
  readonly centroidY: number;
  /**
   * Mean stroke width: a stroke of width w and length L has area wL and outline 2L, and the
   * total variation of an anti-aliased image is its outline length (coarea formula), so
   * 2·area/outline estimates w without skeletonising.
   */
  readonly strokeWidth: number;
}

/** Measures a 28×28 row-major image of intensities in 0..1; null when it has no ink. */
export function measureDigit(pixels: ArrayLike<number>): DigitStats | null {
  let ink = 0;
  let sumX = 0;
  let sumY = 0;
  let minX = DIGIT_SIDE;
  let maxX = -1;
  let minY = DIGIT_SIDE;
  let maxY = -1;
  let variation = 0;
  for (let y = 0; y < DIGIT_SIDE; y++) {
    for (let x = 0; x < DIGIT_SIDE; x++) {
      const v = pixels[y * DIGIT_SIDE + x];
      if (v > 0) {
        ink += v;
        sumX += v * x;
        sumY += v * y;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      if (x < DIGIT_SIDE - 1 && y < DIGIT_SIDE - 1) {
        const dx = pixels[y * DIGIT_SIDE + x + 1] - v;
        const dy = pixels[(y + 1) * DIGIT_SIDE + x] - v;
        variation += Math.sqrt(dx * dx + dy * dy);
      }
    }
  }
  if (ink === 0) return null;
  return {
    ink,
    width: maxX - minX + 1,
    height: maxY - minY + 1,
    centroidX: sumX / ink,
    centroidY: sumY / ink,
    strokeWidth: variation > 0 ? (2 * ink) / variation : 0,
  };
}
