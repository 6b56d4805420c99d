// The page's copy of a run's metrics: append-only columns that grow by doubling, so hours
// of training cost a few reallocations, never per-point objects. Subscribers hear about
// changes at most once per frame.

import type { EvaluationPoint, MetricsBatch } from '../shared/metrics-batch';
import { throttleToFrame, type FrameThrottled } from './frame-throttle';

export interface TrainSeries {
  readonly samples: Float64Array;
  readonly loss: Float32Array;
  readonly accuracy: Float32Array;
}

export interface MetricsSnapshot {
  readonly version: number;
  readonly runId: number;
  readonly train: TrainSeries;
  readonly validation: readonly EvaluationPoint[];
  readonly test: readonly EvaluationPoint[];
}

const INITIAL_CAPACITY = 1024;

export class MetricsStore {
  private runId = -1;
  private length = 0;
  private samples = new Float64Array(INITIAL_CAPACITY);
  private loss = new Float32Array(INITIAL_CAPACITY);
  private accuracy = new Float32Array(INITIAL_CAPACITY);
  private validation: EvaluationPoint[] = [];
  private test: EvaluationPoint[] = [];
  private version = 0;
  private snapshot: MetricsSnapshot | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly notify: FrameThrottled;

  constructor(schedule?: (callback: () => void) => number, unschedule?: (handle: number) => void) {
    this.notify = throttleToFrame(() => this.listeners.forEach((listener) => listener()), schedule, unschedule);
  }

  /** Adds a batch; a batch from a newer run replaces everything held. */
  append(batch: MetricsBatch): void {
    if (batch.runId < this.runId) return;
    if (batch.runId > this.runId) this.startRun(batch.runId);
    const added = batch.trainSamples.length;
    this.ensureCapacity(this.length + added);
    this.samples.set(batch.trainSamples, this.length);
    this.loss.set(batch.trainLoss, this.length);
    this.accuracy.set(batch.trainAccuracy, this.length);
    this.length += added;
    for (const point of batch.evaluations) (point.split === 'validation' ? this.validation : this.test).push(point);
    this.changed();
  }

  /** Drops the series of runs older than `runId` (after a reset). */
  startRun(runId: number): void {
    if (runId === this.runId) return;
    this.runId = runId;
    this.length = 0;
    this.validation = [];
    this.test = [];
    this.changed();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The same object until something changes, as useSyncExternalStore requires. */
  getSnapshot = (): MetricsSnapshot => {
    this.snapshot ??= {
      version: this.version,
      runId: this.runId,
      train: {
        samples: this.samples.subarray(0, this.length),
        loss: this.loss.subarray(0, this.length),
        accuracy: this.accuracy.subarray(0, this.length),
      },
      validation: this.validation.slice(),
      test: this.test.slice(),
    };
    return this.snapshot;
  };

  private changed(): void {
    this.version += 1;
    this.snapshot = null;
    this.notify();
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.samples.length) return;
    let capacity = this.samples.length;
    while (capacity < needed) capacity *= 2;
    this.samples = grow(this.samples, new Float64Array(capacity));
    this.loss = grow(this.loss, new Float32Array(capacity));
    this.accuracy = grow(this.accuracy, new Float32Array(capacity));
  }
}

function grow<T extends Float32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
