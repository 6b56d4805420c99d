import { describe, expect, it } from 'vitest';
import { downsampleMinMax, mergeSeries, smoothSeries } from './chart-series';

describe('smoothSeries', () => {
  it('returns the values unchanged without smoothing', () => {
    expect(Array.from(smoothSeries([3, 1, 2], 0))).toEqual([3, 1, 2]);
  });

  it('starts at the first value and follows a step gradually', () => {
    const smoothed = smoothSeries([1, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], 0.9);
    expect(smoothed[0]).toBeCloseTo(1);
    expect(smoothed[2]).toBeCloseTo(1);
    expect(smoothed[3]).toBeGreaterThan(1);
    expect(smoothed[3]).toBeLessThan(3);
    expect(smoothed[smoothed.length - 1]).toBeGreaterThan(4.9);
  });
});

describe('downsampleMinMax', () => {
  it('keeps short series whole', () => {
    expect(downsampleMinMax([1, 2, 3], [10, 20, 30], 10)).toEqual([
      { samples: 1, value: 10 },
      { samples: 2, value: 20 },
      { samples: 3, value: 30 },
    ]);
  });

  it('bounds the point count and keeps a single spike', () => {
    const length = 100_000;
    const xs = Float64Array.from({ length }, (_, i) => i);
    const ys = new Float32Array(length).fill(1);
    ys[54_321] = 40;
    const points = downsampleMinMax(xs, ys, 400);
    expect(points.length).toBeLessThanOrEqual(400);
    expect(points.some((point) => point.value === 40 && point.samples === 54_321)).toBe(true);
    for (let i = 1; i < points.length; i++) expect(points[i]!.samples).toBeGreaterThan(points[i - 1]!.samples);
    expect(points[0]!.samples).toBe(0);
  });
});

describe('mergeSeries', () => {
  it('joins series on the sample count, in order', () => {
    const rows = mergeSeries([
      { key: 'train', points: [{ samples: 10, value: 1 }, { samples: 20, value: 2 }] },
      { key: 'validation', points: [{ samples: 20, value: 5 }, { samples: 15, value: 4 }] },
    ]);
    expect(rows).toEqual([
      { samples: 10, train: 1 },
      { samples: 15, validation: 4 },
      { samples: 20, train: 2, validation: 5 },
    ]);
  });
});
