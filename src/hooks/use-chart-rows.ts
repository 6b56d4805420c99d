import { useMemo } from 'react';
import { downsampleMinMax, mergeSeries, smoothSeries, type ChartRow } from '../client/chart-series';
import { useMetrics } from './use-metrics';

/** Points per training curve: enough to read, few enough to draw in a frame. */
const MAX_TRAIN_POINTS = 400;
/** How strongly the noisy per-point training curves are smoothed (0 = raw). */
const TRAIN_SMOOTHING = 0.8;

export interface ChartRows {
  readonly loss: ChartRow[];
  readonly accuracy: ChartRow[];
}

/** Chart-ready rows for the current run, recomputed only when new metrics arrive. */
export function useChartRows(): ChartRows {
  const metrics = useMetrics();
  return useMemo(() => {
    const { train, validation, test } = metrics;
    const evaluation = (points: typeof validation, pick: (point: (typeof validation)[number]) => number) =>
      points.map((point) => ({ samples: point.samplesSeen, value: pick(point) }));
    return {
      loss: mergeSeries([
        { key: 'train', points: downsampleMinMax(train.samples, smoothSeries(train.loss, TRAIN_SMOOTHING), MAX_TRAIN_POINTS) },
        { key: 'validation', points: evaluation(validation, (point) => point.loss) },
      ]),
      accuracy: mergeSeries([
        { key: 'train', points: downsampleMinMax(train.samples, smoothSeries(train.accuracy, TRAIN_SMOOTHING), MAX_TRAIN_POINTS) },
        { key: 'validation', points: evaluation(validation, (point) => point.accuracy) },
        { key: 'test', points: evaluation(test, (point) => point.accuracy) },
      ]),
    };
  }, [metrics]);
}
