// The compute contract of a 784-H-10 ReLU MLP with softmax cross-entropy. The TypeScript
// backend is the reference; a faster one (e.g. WebAssembly) implements the same interface
// and is checked against it: write the same parameters into both, run the same batches,
// and compare readParameters() element by element.

import type { LabeledImages } from './labeled-images';

export type OptimizerName = 'sgd' | 'adam';

/** Written by the backend into a caller-owned object, so a batch allocates nothing. */
export interface BatchStats {
  /** Sum over the batch of each sample's cross-entropy (natural log). */
  lossSum: number;
  /** Samples whose largest logit is their label. */
  correct: number;
}

export interface MlpBackend {
  /** Short name shown to the user, e.g. "typescript". */
  readonly name: string;
  /** Threads computing each batch right now (a helper thread may still be starting). */
  readonly threads: number;
  readonly hiddenSize: number;
  /** Fixed at construction: switching optimizers means building a new backend. */
  readonly optimizer: OptimizerName;

  /**
   * One optimizer step on the mean gradient of the samples set[order[start + j]], j < count.
   * The batch is picked by index; images are never copied. `stats` receives the loss and
   * hits of the forward pass before the update. `momentum` is ignored by Adam. Both rates
   * are read on every call because the user changes them while training runs.
   * `transforms`, when given, holds one augmentation transform per sample in batch order
   * (TRANSFORM_STRIDE floats each, see augmentation.ts): each image is warped before its
   * forward pass, exactly as warpImage does. `gradientWeight` (default 1) multiplies the
   * mean gradient before the optimizer sees it: a small extra batch weighs less, and unlike
   * a lower rate this also holds for what it leaves in the momentum.
   */
  trainBatch(
    set: LabeledImages,
    order: Uint32Array,
    start: number,
    count: number,
    learningRate: number,
    momentum: number,
    stats: BatchStats,
    transforms?: Float32Array | null,
    gradientWeight?: number,
  ): void;

  /**
   * The contents of `set`'s buffers changed (the caller refilled them in place). Backends
   * that keep their own copy of the data update it; the others need do nothing.
   */
  refresh(set: LabeledImages): void;

  /** Forward passes over set[start, start + count); no update. */
  evaluate(set: LabeledImages, start: number, count: number, stats: BatchStats): void;

  /** pixels: INPUT_SIZE intensities in 0..1 → CLASS_COUNT probabilities written into `out`. */
  predict(pixels: Float32Array, out: Float32Array): void;

  /** Copies the parameters, in the layout of parameterLayout(hiddenSize), into `out`. */
  readParameters(out: Float32Array): void;
  /** Replaces the parameters and clears the optimizer state (a freshly loaded model). */
  writeParameters(source: Float32Array): void;

  /** Keeps a copy of parameters and optimizer state; buffers are allocated on the first call only. */
  saveCheckpoint(): void;
  /** Returns to the last saved copy; throws if none was saved. */
  restoreCheckpoint(): void;

  /** Stops any helper thread; called when the network is replaced. */
  dispose(): void;
}
