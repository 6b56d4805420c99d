// Epochs, shuffling and bookkeeping around a compute backend. No timers: the caller decides
// how many samples to train per call (the worker slices this to stay responsive).

import { drawTransform, measureInkBox, TRANSFORM_STRIDE, writeIdentityTransform } from './augmentation';
import { initializeParameters, type InitializationName } from './initialization';
import type { LabeledImages } from './labeled-images';
import type { BatchStats, MlpBackend, OptimizerName } from './mlp-backend';
import { Random } from './random';
import { CLASS_COUNT, INPUT_SIZE, parameterLayout } from './shapes';
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
  /**
   * Train on randomly distorted copies (augmentation.ts) of a share of each batch. Off by
   * default here, so runs without it stay exactly as they were.
   */
  augment?: boolean;
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

/**
 * Share of each MNIST batch that is augmented. A distorted sample costs about twice a plain
 * one on the wasm backend (the warp, plus more non-zero pixels after resampling and
 * thickening), so a fifth keeps the slowdown within the 25% budget (10–20% measured, one
 * condition per fresh process or alternating in one); it is also enough for drawn digits
 * and raises test accuracy slightly.
 */
export const AUGMENTED_SHARE = 0.2;
/** Largest user batch: few samples, trained often, rather than rarely in a lump. */
const USER_BATCH_LIMIT = 8;
/** User samples make up about 1 in this many of the samples trained on. */
const USER_SAMPLE_RARITY = 32;

// Separate streams, so turning augmentation or user samples on leaves the shuffles (and
// with them every augment-off run) exactly as before. Arbitrary odd constants.
const AUGMENT_STREAM = 0x5bd1e995;
const USER_STREAM = 0x1b873593;

const EMPTY_SET: LabeledImages = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };

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
  private readonly augmentRandom: Random;
  private readonly userRandom: Random;
  private augment: boolean;
  /** One transform per sample of the batch being trained; grows with the batch size. */
  private transforms = new Float32Array(0);
  /** Ink boxes (measureInkBox) of the training images, measured on first use. */
  private trainInkBoxes: Uint8Array | null = null;
  /** The user's samples in buffers this trainer owns (capacity ≥ count), and their ink boxes. */
  private userSet: LabeledImages = EMPTY_SET;
  private userInkBoxes = new Uint8Array(0);
  private readonly userOrder = new Uint32Array(USER_BATCH_LIMIT);
  private batchesSinceUserBatch = 0;
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
    this.augmentRandom = new Random(config.seed ^ AUGMENT_STREAM);
    this.userRandom = new Random(config.seed ^ USER_STREAM);
    this.augment = config.augment ?? false;
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

  /** Threads computing each batch. */
  get threads(): number {
    return this.backend.threads;
  }

  /** Stops the backend's helper thread, if any; call when this trainer is replaced. */
  dispose(): void {
    this.backend.dispose();
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

  /** Applies from the next batch. */
  setAugment(on: boolean): void {
    this.augment = on;
  }

  get userSampleCount(): number {
    return this.userSet.count;
  }

  /**
   * Mixes the user's own labelled images into training, replacing any earlier ones (count 0
   * removes them). The rows are copied, so the caller may reuse `set`. About 1 sample in 32
   * is then a user sample, always augmented so the network learns the digit, not the image.
   */
  setUserSamples(set: LabeledImages): void {
    const { count } = set;
    if (!Number.isInteger(count) || count < 0 || set.images.length < count * INPUT_SIZE || set.labels.length < count) {
      throw new RangeError(`User samples need ${INPUT_SIZE} bytes and a label each`);
    }
    for (let i = 0; i < count; i++) {
      if (set.labels[i] >= CLASS_COUNT) throw new RangeError(`User sample ${i} has label ${set.labels[i]}`);
    }
    let { images, labels } = this.userSet;
    if (labels.length < count) {
      // Doubling keeps the buffers few, so the backend's copies of them stay few too.
      const capacity = Math.max(count, 2 * labels.length);
      images = new Uint8Array(capacity * INPUT_SIZE);
      labels = new Uint8Array(capacity);
      this.userInkBoxes = new Uint8Array(capacity * 4);
    }
    images.set(set.images.subarray(0, count * INPUT_SIZE));
    labels.set(set.labels.subarray(0, count));
    for (let i = 0; i < count; i++) measureInkBox(images, i * INPUT_SIZE, this.userInkBoxes, i);
    this.userSet = { images, labels, count };
    if (count > 0) this.backend.refresh(this.userSet);
  }

  /** User samples the network classifies correctly as they are (no augmentation). */
  countLearnedUserSamples(): number {
    if (this.userSet.count === 0) return 0;
    this.backend.evaluate(this.userSet, 0, this.userSet.count, this.stats);
    return this.stats.correct;
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
      const transforms = this.augment
        ? this.drawTransforms(this.augmentRandom, this.inkBoxesOfTrainSet(), this.order, this.cursor, batch, AUGMENTED_SHARE)
        : null;
      this.backend.trainBatch(this.trainSet, this.order, this.cursor, batch, this.learningRate, this.momentum, this.stats, transforms);
      this.cursor += batch;
      this.seen += batch;
      summary.samples += batch;
      summary.lossSum += this.stats.lossSum;
      summary.correct += this.stats.correct;
      if (!Number.isFinite(this.stats.lossSum)) summary.diverged = true;
      if (!summary.diverged && this.userSet.count > 0 && ++this.batchesSinceUserBatch >= this.userBatchInterval()) {
        this.batchesSinceUserBatch = 0;
        if (!this.trainUserBatch()) summary.diverged = true;
      }
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

  private inkBoxesOfTrainSet(): Uint8Array {
    if (this.trainInkBoxes === null) {
      const { images, count } = this.trainSet;
      this.trainInkBoxes = new Uint8Array(count * 4);
      for (let i = 0; i < count; i++) measureInkBox(images, i * INPUT_SIZE, this.trainInkBoxes, i);
    }
    return this.trainInkBoxes;
  }

  /**
   * Fills this.transforms for samples order[start + j], j < count: a random transform for
   * each with probability `share`, the identity (which backends skip) for the others.
   */
  private drawTransforms(
    random: Random,
    inkBoxes: Uint8Array,
    order: Uint32Array,
    start: number,
    count: number,
    share: number,
  ): Float32Array {
    if (this.transforms.length < count * TRANSFORM_STRIDE) this.transforms = new Float32Array(count * TRANSFORM_STRIDE);
    const transforms = this.transforms;
    for (let j = 0; j < count; j++) {
      if (share >= 1 || random.nextFloat() < share) drawTransform(random, inkBoxes, order[start + j], transforms, j * TRANSFORM_STRIDE);
      else writeIdentityTransform(transforms, j * TRANSFORM_STRIDE);
    }
    return transforms;
  }

  /** MNIST batches between user batches: the user batch is then ~1/32 of the samples. */
  private userBatchInterval(): number {
    const userBatch = Math.min(this.batchSize, USER_BATCH_LIMIT);
    return Math.ceil((USER_SAMPLE_RARITY * userBatch) / this.batchSize);
  }

  /**
   * One small batch of user samples, drawn with replacement and always augmented. Its mean
   * gradient is weighted by userBatch / batchSize, so each sample weighs as much as one of
   * a normal batch (a lower rate instead would leave the full gradient in the momentum).
   * Its loss and hits are not reported: they are not MNIST progress. False if it diverged.
   */
  private trainUserBatch(): boolean {
    const userBatch = Math.min(this.batchSize, USER_BATCH_LIMIT);
    const random = this.userRandom;
    for (let j = 0; j < userBatch; j++) this.userOrder[j] = Math.floor(random.nextFloat() * this.userSet.count);
    const transforms = this.drawTransforms(random, this.userInkBoxes, this.userOrder, 0, userBatch, 1);
    const weight = userBatch / this.batchSize;
    this.backend.trainBatch(this.userSet, this.userOrder, 0, userBatch, this.learningRate, this.momentum, this.stats, transforms, weight);
    return Number.isFinite(this.stats.lossSum);
  }
}
