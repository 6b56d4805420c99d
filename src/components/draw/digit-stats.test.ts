import { describe, expect, it } from 'vitest';
import { DIGIT_PIXELS, DIGIT_SIDE, measureDigit } from './digit-stats';

function rectangle(left: number, top: number, width: number, height: number, value = 1): Float32Array {
  const image = new Float32Array(DIGIT_PIXELS);
  for (let y = top; y < top + height; y++) for (let x = left; x < left + width; x++) image[y * DIGIT_SIDE + x] = value;
  return image;
}

describe('measureDigit', () => {
  it('returns null for a blank image', () => {
    expect(measureDigit(new Float32Array(DIGIT_PIXELS))).toBeNull();
  });

  it('measures ink, box and centroid of a rectangle', () => {
    const s = measureDigit(rectangle(5, 2, 4, 20, 0.5));
    expect(s).toMatchObject({ ink: 40, width: 4, height: 20, centroidX: 6.5, centroidY: 11.5 });
  });

  it('estimates the width of a long bar as its thickness', () => {
    for (const thickness of [2, 3]) {
      const s = measureDigit(rectangle(12, 2, thickness, 24));
      // Caps make the outline a little longer than twice the length.
      expect(s?.strokeWidth).toBeGreaterThan(thickness * 0.85);
      expect(s?.strokeWidth).toBeLessThan(thickness * 1.02);
    }
  });

  it('finds the intensity-weighted centroid', () => {
    const image = new Float32Array(DIGIT_PIXELS);
    image[10 * DIGIT_SIDE + 4] = 1;
    image[10 * DIGIT_SIDE + 20] = 3;
    const s = measureDigit(image);
    expect(s?.centroidX).toBe(16);
    expect(s?.centroidY).toBe(10);
    expect(s?.width).toBe(17);
  });
});
