import { describe, expect, it } from 'vitest';
import type { MetricsBatch } from '../shared/metrics-batch';
import { MetricsStore } from './metrics-store';

function batch(runId: number, samples: number[], evaluations: MetricsBatch['evaluations'] = []): MetricsBatch {
  return {
    runId,
    trainSamples: Float64Array.from(samples),
    trainLoss: Float32Array.from(samples, (s) => 1 / s),
    trainAccuracy: Float32Array.from(samples, () => 0.5),
    evaluations,
  };
}

/** A frame scheduler the test advances by hand. */
function manualFrames() {
  let pending: (() => void) | null = null;
  return {
    schedule: (callback: () => void) => {
      pending = callback;
      return 1;
    },
    unschedule: () => {
      pending = null;
    },
    runFrame: () => {
      const callback = pending;
      pending = null;
      callback?.();
    },
  };
}

describe('MetricsStore', () => {
  it('appends batches past its initial capacity and keeps snapshots stable between changes', () => {
    const store = new MetricsStore(() => 0, () => {});
    for (let start = 1; start <= 3000; start += 100) store.append(batch(1, Array.from({ length: 100 }, (_, i) => start + i)));
    const snapshot = store.getSnapshot();
    expect(snapshot.train.samples).toHaveLength(3000);
    expect(snapshot.train.samples[2999]).toBe(3000);
    expect(store.getSnapshot()).toBe(snapshot);
    store.append(batch(1, [3001]));
    expect(store.getSnapshot()).not.toBe(snapshot);
    expect(store.getSnapshot().version).toBeGreaterThan(snapshot.version);
  });

  it('replaces an older run and ignores stale batches', () => {
    const store = new MetricsStore(() => 0, () => {});
    store.append(batch(1, [1, 2], [{ split: 'test', samplesSeen: 2, epoch: 0, loss: 1, accuracy: 0.5 }]));
    store.append(batch(2, [5]));
    store.append(batch(1, [3]));
    const snapshot = store.getSnapshot();
    expect(Array.from(snapshot.train.samples)).toEqual([5]);
    expect(snapshot.test).toEqual([]);
    expect(snapshot.runId).toBe(2);
  });

  it('notifies subscribers at most once per frame', () => {
    const frames = manualFrames();
    const store = new MetricsStore(frames.schedule, frames.unschedule);
    let calls = 0;
    store.subscribe(() => calls++);
    for (let i = 1; i <= 10; i++) store.append(batch(1, [i]));
    expect(calls).toBe(0);
    frames.runFrame();
    expect(calls).toBe(1);
    frames.runFrame();
    expect(calls).toBe(1);
  });
});
