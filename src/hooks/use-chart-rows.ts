import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { downsampleMinMax, mergeSeries, smoothSeries, type ChartRow } from '../client/chart-series';
import type { MetricsSnapshot } from '../client/metrics-store';
import type { EvaluationPoint } from '../shared/metrics-batch';
import { useTrainerContext } from './trainer-context';

/** Points per training curve: enough to read, few enough to draw quickly. */
const MAX_TRAIN_POINTS = 100;
/** How strongly the noisy per-point training curves are smoothed (0 = raw). */
const TRAIN_SMOOTHING = 0.8;
/**
 * Each chart redraws at most this often. Chart renders are the page's heaviest work, so the
 * two charts take turns half a period apart and never share one main-thread task.
 */
const CHART_INTERVAL_MS = 500;

/** Loss rows: smoothed training loss and validation loss against samples seen. */
export function useLossRows(): ChartRow[] {
  const metrics = useDeferredValue(useRateLimitedMetrics(CHART_INTERVAL_MS, 0));
  return useMemo(() => {
    const { train, validation } = metrics;
    return mergeSeries([
      { key: 'train', points: downsampleMinMax(train.samples, smoothSeries(train.loss, TRAIN_SMOOTHING), MAX_TRAIN_POINTS) },
      { key: 'validation', points: evaluationPoints(validation, (point) => point.loss) },
    ]);
  }, [metrics]);
}

/** Accuracy rows: running training accuracy, validation and test accuracy. */
export function useAccuracyRows(): ChartRow[] {
  const metrics = useDeferredValue(useRateLimitedMetrics(CHART_INTERVAL_MS, CHART_INTERVAL_MS / 2));
  return useMemo(() => {
    const { train, validation, test } = metrics;
    return mergeSeries([
      { key: 'train', points: downsampleMinMax(train.samples, smoothSeries(train.accuracy, TRAIN_SMOOTHING), MAX_TRAIN_POINTS) },
      { key: 'validation', points: evaluationPoints(validation, (point) => point.accuracy) },
      { key: 'test', points: evaluationPoints(test, (point) => point.accuracy) },
    ]);
  }, [metrics]);
}

function evaluationPoints(points: readonly EvaluationPoint[], pick: (point: EvaluationPoint) => number) {
  return points.map((point) => ({ samples: point.samplesSeen, value: pick(point) }));
}

/**
 * The metrics snapshot, refreshed at most once per `intervalMs`, on a clock grid shifted by
 * `phaseMs`; the last change always lands.
 */
function useRateLimitedMetrics(intervalMs: number, phaseMs: number): MetricsSnapshot {
  const { metrics } = useTrainerContext().session;
  const [snapshot, setSnapshot] = useState(metrics.getSnapshot);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let shownRunId = metrics.getSnapshot().runId;
    const publish = () => {
      timer = null;
      const snapshot = metrics.getSnapshot();
      shownRunId = snapshot.runId;
      setSnapshot(snapshot);
    };
    const unsubscribe = metrics.subscribe(() => {
      // A new run (reset) clears the charts at once rather than on the next grid line.
      if (metrics.getSnapshot().runId !== shownRunId) {
        if (timer !== null) clearTimeout(timer);
        publish();
        return;
      }
      if (timer !== null) return;
      const now = performance.now();
      const next = Math.ceil((now - phaseMs) / intervalMs) * intervalMs + phaseMs;
      timer = setTimeout(publish, next - now);
    });
    publish();
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [metrics, intervalMs, phaseMs]);
  return snapshot;
}
