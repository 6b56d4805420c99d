import { describe, expect, it } from 'vitest';
import { createWorkGrid, SUPERSAMPLE, WORK_RESOLUTION, type Placement } from './fit-and-centre';
import { rasteriseStrokes, simplify, strokeBounds } from './stroke-raster';

// One input unit per output pixel, input (0, 0) at the work grid's centre.
const IDENTITY: Placement = { scale: 1, sourceCentreX: 0, sourceCentreY: 0 };

function sum(values: Float32Array): number {
  return values.reduce((a, b) => a + b, 0);
}

describe('strokeBounds', () => {
  it('spans every point of every stroke', () => {
    expect(strokeBounds([[{ x: 3, y: 9 }], [{ x: -1, y: 4 }, { x: 7, y: 2 }]])).toEqual({ minX: -1, minY: 2, maxX: 7, maxY: 9 });
  });

  it('is null without points', () => {
    expect(strokeBounds([])).toBeNull();
    expect(strokeBounds([[]])).toBeNull();
  });
});

describe('rasteriseStrokes', () => {
  it('paints a segment as a band as wide as the pen', () => {
    const work = createWorkGrid();
    rasteriseStrokes([[{ x: -8, y: 0.3 }, { x: 8, y: 0.3 }]], IDENTITY, 2.5, work);
    // A column in the middle of the segment holds pen-width worth of ink.
    const middle = WORK_RESOLUTION / 2;
    let column = 0;
    for (let row = 0; row < WORK_RESOLUTION; row++) column += work[row * WORK_RESOLUTION + middle];
    expect(column / SUPERSAMPLE).toBeCloseTo(2.5, 1);
    // Length plus two round caps: 16 × 2.5 + π × 1.25².
    expect(sum(work) / SUPERSAMPLE ** 2).toBeCloseTo(16 * 2.5 + Math.PI * 1.25 ** 2, 0);
  });

  it('paints a single point as a pen-width disc', () => {
    const work = createWorkGrid();
    rasteriseStrokes([[{ x: 1, y: 1 }]], IDENTITY, 3, work);
    expect(sum(work) / SUPERSAMPLE ** 2).toBeCloseTo(Math.PI * 1.5 ** 2, 1);
  });

  it('does not add up overlapping strokes', () => {
    const work = createWorkGrid();
    const stroke = [{ x: -5, y: 0 }, { x: 5, y: 0 }];
    rasteriseStrokes([stroke, stroke, stroke.slice().reverse()], IDENTITY, 2, work);
    expect(Math.max(...work)).toBe(1);
    expect(sum(work) / SUPERSAMPLE ** 2).toBeCloseTo(10 * 2 + Math.PI, 0);
  });
});

describe('simplify', () => {
  it('collapses a straight run to its ends and keeps corners', () => {
    const xs = [0, 1, 2, 3, 4, 4, 4, 4];
    const ys = [0, 0, 0, 0, 0, 1, 2, 3];
    expect(simplify(xs, ys, 0.1)).toEqual([0, 4, 7]);
  });

  it('keeps every point that deviates more than the tolerance', () => {
    const xs = [0, 1, 2, 3, 4];
    const ys = [0, 0.3, 0, -0.3, 0];
    expect(simplify(xs, ys, 0.5)).toEqual([0, 4]);
    // Point 2 lies on the segment between the kept points 1 and 3.
    expect(simplify(xs, ys, 0.2)).toEqual([0, 1, 3, 4]);
  });

  it('keeps a single point and returns nothing for no points', () => {
    expect(simplify([5], [5], 0.5)).toEqual([0]);
    expect(simplify([], [], 0.5)).toEqual([]);
  });

  it('keeps a closed loop whose ends coincide', () => {
    const angles = Array.from({ length: 65 }, (_, i) => (2 * Math.PI * i) / 64);
    const kept = simplify(
      angles.map((a) => 40 * Math.cos(a)),
      angles.map((a) => 40 * Math.sin(a)),
      0.5,
    );
    expect(kept.length).toBeGreaterThan(8);
    expect(kept.length).toBeLessThan(65);
  });
});
