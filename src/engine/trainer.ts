// Epochs, shuffling and bookkeeping around a compute backend. No timers: the caller decides
// how many samples to train per call (the worker slices this to stay responsive).

import { initializeParameters, type InitializationName } from './initialization';
import type { LabeledImages } from './labeled-images';
import type { BatchStats, MlpBackend, OptimizerName } from './mlp-backend';
import { Random } from './random';
import { INPUT_SIZE, parameterLayout } from './shapes';
import { TypeScriptBackend } from './typescript-backend';

export interface TrainerConfig {
  hiddenSize: number;
  optimizer: OptimizerName;
  init: InitializationName;
  /** Seeds the initial weights and every epoch's shuffle. */
  seed: number;
  learningRate: number;
  /** SGD only; 0 is plain SGD. */
  momentum: number;
  /** 1 is per-sample SGD. */
  batchSize: number;
  /** Visit the images in a fresh random order each epoch (default) or always in file order. */
  shuffle?: boolean;
  /** Builds the compute backend; the TypeScript reference when absent. */
  createBackend?: BackendFactory;
}

export type BackendFactory = (hiddenSize: number, optimizer: OptimizerName) => MlpBackend;

const createReferenceBackend: BackendFactory = (hiddenSize, optimizer) => new TypeScriptBackend(hiddenSize, optimizer);

export interface TrainSummary {
  samples: number;
  /** Sum of per-sample losses, each measured before the update of its batch. */
  lossSum: number;
  correct: number;
  /** The last batch completed an epoch. */
  epochEnded: boolean;
  /** A batch loss was NaN or infinite; training stopped right after that batch. */
  diverged: boolean;
}

export interface EvaluationSummary {
  count: number;
  lossSum: number;
  correct: number;
}

function checkLearningRate(value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Learning rate must be ≥ 0, got ${value}`);
}

function checkMomentum(value: number): void {
  if (!(value >= 0 && value < 1)) throw new RangeError(`Momentum must be in [0, 1), got ${value}`);
}

function checkBatchSize(value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`Batch size must be a positive integer, got ${value}`);
}

export class Trainer {
  private readonly trainSet: LabeledImages;
  private readonly backend: MlpBackend;
  private readonly random: Random;
  private readonly shuffle: boolean;
  /** The current epoch's visiting order: a permutation of 0..count-1. */
  private readonly order: Uint32Array;
  private readonly stats: BatchStats = { lossSum: 0, correct: 0 };
  private learningRate: number;
  private momentum: number;
  private batchSize: number;
  private cursor = 0;
  private seen = 0;
  private completed = 0;

  constructor(train: LabeledImages, config: TrainerConfig) {
    if (train.count < 1 || train.images.length < train.count * INPUT_SIZE || train.labels.length < train.count) {
      throw new RangeError(`The training set needs ≥ 1 image with ${INPUT_SIZE} bytes and a label each`);
    }
    checkLearningRate(config.learningRate);
    checkMomentum(config.momentum);
    checkBatchSize(config.batchSize);
    this.trainSet = train;
    this.learningRate = config.learningRate;
    this.momentum = config.momentum;
    this.batchSize = config.batchSize;
    this.shuffle = config.shuffle ?? true;
    this.random = new Random(config.seed);
    const layout = parameterLayout(config.hiddenSize);
    const initial = new Float32Array(layout.size);
    initializeParameters(initial, layout, config.init, this.random);
    this.backend = (config.createBackend ?? createReferenceBackend)(config.hiddenSize, config.optimizer);
    this.backend.writeParameters(initial);
    this.order = new Uint32Array(train.count);
    for (let i = 0; i < train.count; i++) this.order[i] = i;
    this.startEpoch();
  }

  get samplesSeen(): number {
    return this.seen;
  }

  get epochsCompleted(): number {
    return this.completed;
  }

  /** Completed epochs plus the fraction of the current one. */
  get epoch(): number {
    return this.completed + this.cursor / this.trainSet.count;
  }

  /** Name of the compute backend, e.g. "typescript". */
  get backendName(): string {
    return this.backend.name;
  }

  /** Number of parameters; the length readParameters expects. */
  get parameterCount(): number {
    return parameterLayout(this.backend.hiddenSize).size;
  }

  setLearningRate(learningRate: number): void {
    checkLearningRate(learningRate);
    this.learningRate = learningRate;
  }

  setMomentum(momentum: number): void {
    checkMomentum(momentum);
    this.momentum = momentum;
  }

  setBatchSize(batchSize: number): void {
    checkBatchSize(batchSize);
    this.batchSize = batchSize;
  }

  /**
   * Trains whole batches until at least `sampleBudget` samples are used or the epoch ends
   * (never crossing an epoch end; an epoch's last batch may be short). Stops at once after a
   * batch whose loss is NaN or infinite.
   */
  train(sampleBudget: number): TrainSummary {
    const summary: TrainSummary = { samples: 0, lossSum: 0, correct: 0, epochEnded: false, diverged: false };
    const count = this.trainSet.count;
    while (summary.samples < sampleBudget) {
      const batch = Math.min(this.batchSize, count - this.cursor);
      this.backend.trainBatch(this.trainSet, this.order, this.cursor, batch, this.learningRate, this.momentum, this.stats);
      this.cursor += batch;
      this.seen += batch;
      summary.samples += batch;
      summary.lossSum += this.stats.lossSum;
      summary.correct += this.stats.correct;
      if (!Number.isFinite(this.stats.lossSum)) summary.diverged = true;
      if (this.cursor === count) {
        this.completed++;
        this.cursor = 0;
        this.startEpoch();
        summary.epochEnded = true;
      }
      if (summary.diverged || summary.epochEnded) break;
    }
    return summary;
  }

  /** Forward-only over set[start, start + count); big sets can be evaluated in slices. */
  evaluate(set: LabeledImages, start: number, count: number): EvaluationSummary {
    this.backend.evaluate(set, start, count, this.stats);
    return { count, lossSum: this.stats.lossSum, correct: this.stats.correct };
  }

  /** pixels: INPUT_SIZE intensities in 0..1 → CLASS_COUNT probabilities written into `out`. */
  predict(pixels: Float32Array, out: Float32Array): void {
    this.backend.predict(pixels, out);
  }

  /** Copies the parameters (layout of parameterLayout) into `out`, e.g. to draw W1. */
  readParameters(out: Float32Array): void {
    this.backend.readParameters(out);
  }

  /** Keeps parameters and optimizer state aside; counters and data order are not part of it. */
  saveCheckpoint(): void {
    this.backend.saveCheckpoint();
  }

  restoreCheckpoint(): void {
    this.backend.restoreCheckpoint();
  }

  private startEpoch(): void {
    if (this.shuffle) this.random.permutation(this.order);
  }
}
