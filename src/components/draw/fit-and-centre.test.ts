import { describe, expect, it } from 'vitest';
import { measureDigit } from './digit-stats';
import {
  centreAndDownsample,
  createWorkGrid,
  fitPlacement,
  fromWorkX,
  SUPERSAMPLE,
  toWorkX,
  toWorkY,
  WORK_RESOLUTION,
} from './fit-and-centre';

function fillSubpixels(work: Float32Array, col0: number, row0: number, cols: number, rows: number, value: number): void {
  for (let r = row0; r < row0 + rows; r++) for (let c = col0; c < col0 + cols; c++) work[r * WORK_RESOLUTION + c] = value;
}

describe('fitPlacement', () => {
  it('scales the longest side plus the added ink to 20 px, centred on the box', () => {
    const placement = fitPlacement({ minX: 100, minY: 50, maxX: 150, maxY: 250 }, 2, 10);
    expect(placement.scale).toBeCloseTo(18 / 200);
    expect(toWorkY(placement, 250) - toWorkY(placement, 50)).toBeCloseTo(18);
    expect(toWorkX(placement, 125)).toBe(toWorkY(placement, 150));
    expect(fromWorkX(placement, toWorkX(placement, 137))).toBeCloseTo(137);
  });

  it('enlarges a box smaller than the minimum extent as if it had that extent', () => {
    expect(fitPlacement({ minX: 0, minY: 0, maxX: 0, maxY: 0 }, 0, 40).scale).toBeCloseTo(0.5);
    expect(fitPlacement({ minX: 0, minY: 0, maxX: 4, maxY: 2 }, 0, 40).scale).toBeCloseTo(0.5);
  });
});

describe('centreAndDownsample', () => {
  it('returns null when the work grid is empty', () => {
    expect(centreAndDownsample(createWorkGrid())).toBeNull();
  });

  it('moves the centroid to MNIST’s (14, 14) with sub-pixel accuracy', () => {
    const work = createWorkGrid();
    // Off-centre blocks whose centroid falls between output pixels.
    fillSubpixels(work, 13, 200, 27, 41, 1);
    fillSubpixels(work, 61, 170, 9, 30, 0.5);
    const s = measureDigit(centreAndDownsample(work) as Float32Array);
    expect(Math.abs((s?.centroidX ?? 0) - 14)).toBeLessThanOrEqual(1 / (2 * SUPERSAMPLE) + 1e-6);
    expect(Math.abs((s?.centroidY ?? 0) - 14)).toBeLessThanOrEqual(1 / (2 * SUPERSAMPLE) + 1e-6);
  });

  it('averages subpixels, preserving ink', () => {
    const work = createWorkGrid();
    fillSubpixels(work, 150, 140, 16, 24, 0.75);
    const out = centreAndDownsample(work) as Float32Array;
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo((16 * 24 * 0.75) / SUPERSAMPLE ** 2, 4);
    expect(Math.max(...out)).toBeCloseTo(0.75, 5);
  });
});
