// Turns a long metrics column into the few hundred points a chart can draw quickly.

export interface ChartPoint {
  readonly samples: number;
  readonly value: number;
}

/**
 * Exponential moving average with TensorBoard's debiasing, so the curve starts at the first
 * value instead of climbing from zero. `smoothing` 0 returns the values unchanged.
 */
export function smoothSeries(values: ArrayLike<number>, smoothing: number): Float64Array {
  const out = new Float64Array(values.length);
  let average = 0;
  let weight = 0;
  for (let i = 0; i < values.length; i++) {
    average = smoothing * average + (1 - smoothing) * values[i]!;
    weight = smoothing * weight + (1 - smoothing);
    out[i] = average / weight;
  }
  return out;
}

/**
 * At most `maxPoints` points: the series is cut into buckets and each bucket keeps its
 * lowest and highest value (in x order), so spikes survive downsampling.
 */
export function downsampleMinMax(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  maxPoints: number,
): ChartPoint[] {
  const length = Math.min(xs.length, ys.length);
  if (length <= maxPoints) {
    return Array.from({ length }, (_, i) => ({ samples: xs[i]!, value: ys[i]! }));
  }
  const bucketCount = Math.max(1, Math.floor(maxPoints / 2));
  const points: ChartPoint[] = [];
  for (let bucket = 0; bucket < bucketCount; bucket++) {
    const start = Math.floor((bucket * length) / bucketCount);
    const end = Math.floor(((bucket + 1) * length) / bucketCount);
    let low = start;
    let high = start;
    for (let i = start + 1; i < end; i++) {
      if (ys[i]! < ys[low]!) low = i;
      if (ys[i]! > ys[high]!) high = i;
    }
    const [first, second] = low <= high ? [low, high] : [high, low];
    points.push({ samples: xs[first]!, value: ys[first]! });
    if (second !== first) points.push({ samples: xs[second]!, value: ys[second]! });
  }
  return points;
}

export interface ChartRow {
  readonly samples: number;
  readonly [series: string]: number;
}

export interface ChartSeriesInput {
  readonly key: string;
  readonly points: readonly ChartPoint[];
}

/**
 * Merges series sampled at different x values into the row-per-x form charts and tooltips
 * want: each row has `samples` and the series that have a point there.
 */
export function mergeSeries(series: readonly ChartSeriesInput[]): ChartRow[] {
  const rows = new Map<number, Record<string, number>>();
  for (const { key, points } of series) {
    for (const point of points) {
      let row = rows.get(point.samples);
      if (row === undefined) {
        row = { samples: point.samples };
        rows.set(point.samples, row);
      }
      row[key] = point.value;
    }
  }
  return [...rows.values()].sort((a, b) => a.samples! - b.samples!) as unknown as ChartRow[];
}
