import { useSyncExternalStore } from 'react';
import type { MetricsSnapshot } from '../client/metrics-store';
import { useTrainerContext } from './trainer-context';

/** The current run's metrics; re-renders at most once per frame. */
export function useMetrics(): MetricsSnapshot {
  const { metrics } = useTrainerContext().session;
  return useSyncExternalStore(metrics.subscribe, metrics.getSnapshot);
}
