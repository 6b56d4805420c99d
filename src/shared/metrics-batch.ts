// Metrics travel from the worker in columnar batches: one typed array per series, so a
// batch is cheap to clone and the page appends it without per-point objects.

export interface EvaluationPoint {
  readonly split: 'validation' | 'test';
  /** Training samples seen when the evaluation ran (the x axis of every chart). */
  readonly samplesSeen: number;
  readonly epoch: number;
  readonly loss: number;
  /** In 0..1. */
  readonly accuracy: number;
}

export interface MetricsBatch {
  /** Changes on every reset, so the page can drop the previous run's series. */
  readonly runId: number;
  /** One training point per fixed number of samples: samples seen at its end. */
  readonly trainSamples: Float64Array;
  /** Mean cross-entropy over the samples of each point. */
  readonly trainLoss: Float32Array;
  /** Fraction of those samples classified correctly before their update. */
  readonly trainAccuracy: Float32Array;
  readonly evaluations: readonly EvaluationPoint[];
}
