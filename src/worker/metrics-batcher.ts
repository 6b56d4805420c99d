// Turns training progress into chart points and sends them in batches: one point per
// `samplesPerPoint` samples, flushed at most every `flushIntervalMs` or when `maxPoints`
// accumulate, so the page gets a few messages a second however fast training runs.

import type { EvaluationPoint, MetricsBatch } from '../shared/metrics-batch';

export interface MetricsBatcherOptions {
  readonly samplesPerPoint: number;
  readonly flushIntervalMs: number;
  readonly maxPoints: number;
}

export const DEFAULT_BATCHER_OPTIONS: MetricsBatcherOptions = {
  samplesPerPoint: 500,
  flushIntervalMs: 100,
  maxPoints: 4096,
};

export class MetricsBatcher {
  private readonly trainSamples: Float64Array;
  private readonly trainLoss: Float32Array;
  private readonly trainAccuracy: Float32Array;
  private pointCount = 0;
  private evaluations: EvaluationPoint[] = [];
  private lastFlushMs = -Infinity;

  // The point being accumulated.
  private pendingSamples = 0;
  private pendingLossSum = 0;
  private pendingCorrect = 0;

  constructor(
    private readonly send: (batch: MetricsBatch) => void,
    private readonly options: MetricsBatcherOptions = DEFAULT_BATCHER_OPTIONS,
  ) {
    this.trainSamples = new Float64Array(options.maxPoints);
    this.trainLoss = new Float32Array(options.maxPoints);
    this.trainAccuracy = new Float32Array(options.maxPoints);
  }

  /** Samples still needed to complete the current point. */
  get samplesUntilPoint(): number {
    return this.options.samplesPerPoint - this.pendingSamples;
  }

  /** Adds the outcome of some training; `samplesSeen` is the total after it. */
  addTraining(samples: number, lossSum: number, correct: number, samplesSeen: number, runId: number): void {
    this.pendingSamples += samples;
    this.pendingLossSum += lossSum;
    this.pendingCorrect += correct;
    if (this.pendingSamples >= this.options.samplesPerPoint) this.closePoint(samplesSeen, runId);
  }

  addEvaluation(point: EvaluationPoint): void {
    this.evaluations.push(point);
  }

  /** Sends what has accumulated if the flush interval has passed (or the buffer is full). */
  maybeFlush(nowMs: number, runId: number): void {
    if (nowMs - this.lastFlushMs >= this.options.flushIntervalMs) this.flush(nowMs, runId);
  }

  /**
   * Sends everything now, including a partial point when `samplesSeen` is given (used when
   * training pauses, so a single step still shows up on the chart).
   */
  flush(nowMs: number, runId: number, samplesSeen?: number): void {
    if (samplesSeen !== undefined && this.pendingSamples > 0) this.closePoint(samplesSeen, runId, false);
    this.lastFlushMs = nowMs;
    if (this.pointCount === 0 && this.evaluations.length === 0) return;
    this.send({
      runId,
      trainSamples: this.trainSamples.slice(0, this.pointCount),
      trainLoss: this.trainLoss.slice(0, this.pointCount),
      trainAccuracy: this.trainAccuracy.slice(0, this.pointCount),
      evaluations: this.evaluations,
    });
    this.pointCount = 0;
    this.evaluations = [];
  }

  /** Forgets everything unsent (after a reset). */
  clear(): void {
    this.pointCount = 0;
    this.evaluations = [];
    this.pendingSamples = 0;
    this.pendingLossSum = 0;
    this.pendingCorrect = 0;
  }

  private closePoint(samplesSeen: number, runId: number, flushWhenFull = true): void {
    const index = this.pointCount++;
    this.trainSamples[index] = samplesSeen;
    this.trainLoss[index] = this.pendingLossSum / this.pendingSamples;
    this.trainAccuracy[index] = this.pendingCorrect / this.pendingSamples;
    this.pendingSamples = 0;
    this.pendingLossSum = 0;
    this.pendingCorrect = 0;
    if (flushWhenFull && this.pointCount === this.options.maxPoints) this.flush(this.lastFlushMs, runId);
  }
}
