import { describe, expect, it } from 'vitest';
import type { MetricsBatch } from '../shared/metrics-batch';
import { MetricsBatcher } from './metrics-batcher';

function collect() {
  const batches: MetricsBatch[] = [];
  return { batches, send: (batch: MetricsBatch) => void batches.push(batch) };
}

describe('MetricsBatcher', () => {
  it('makes one point per samplesPerPoint samples with mean loss and accuracy', () => {
    const { batches, send } = collect();
    const batcher = new MetricsBatcher(send, { samplesPerPoint: 100, flushIntervalMs: 100, maxPoints: 10 });
    batcher.addTraining(64, 64 * 2, 32, 64, 1);
    expect(batcher.samplesUntilPoint).toBe(36);
    batcher.addTraining(64, 64 * 1, 64, 128, 1);
    batcher.flush(0, 1);
    expect(batches).toHaveLength(1);
    expect(Array.from(batches[0]!.trainSamples)).toEqual([128]);
    expect(batches[0]!.trainLoss[0]).toBeCloseTo(1.5);
    expect(batches[0]!.trainAccuracy[0]).toBeCloseTo(0.75);
  });

  it('sends at most once per interval, and early when the buffer fills', () => {
    const { batches, send } = collect();
    const batcher = new MetricsBatcher(send, { samplesPerPoint: 1, flushIntervalMs: 100, maxPoints: 4 });
    batcher.addTraining(1, 1, 1, 1, 1);
    batcher.maybeFlush(0, 1);
    batcher.addTraining(1, 1, 1, 2, 1);
    batcher.maybeFlush(50, 1);
    expect(batches).toHaveLength(1);
    batcher.maybeFlush(100, 1);
    expect(batches).toHaveLength(2);
    for (let i = 0; i < 4; i++) batcher.addTraining(1, 1, 1, 3 + i, 1);
    expect(batches).toHaveLength(3);
    expect(Array.from(batches[2]!.trainSamples)).toEqual([3, 4, 5, 6]);
  });

  it('closes a partial point on a forced flush and sends evaluations', () => {
    const { batches, send } = collect();
    const batcher = new MetricsBatcher(send, { samplesPerPoint: 500, flushIntervalMs: 100, maxPoints: 10 });
    batcher.addTraining(64, 128, 10, 64, 2);
    batcher.addEvaluation({ split: 'test', samplesSeen: 64, epoch: 0.001, loss: 2, accuracy: 0.1 });
    batcher.flush(0, 2, 64);
    expect(Array.from(batches[0]!.trainSamples)).toEqual([64]);
    expect(batches[0]!.evaluations).toHaveLength(1);
    expect(batches[0]!.runId).toBe(2);
  });

  it('forgets unsent points on clear and sends nothing when empty', () => {
    const { batches, send } = collect();
    const batcher = new MetricsBatcher(send, { samplesPerPoint: 1, flushIntervalMs: 100, maxPoints: 10 });
    batcher.addTraining(1, 1, 1, 1, 1);
    batcher.clear();
    batcher.flush(0, 1);
    expect(batches).toHaveLength(0);
  });
});
