// The worker's logic: owns the data and the network, paces training in time slices and
// reports to the page. It does not know about Comlink, so tests drive it directly.

import { Trainer, type BackendFactory, type EvaluationSummary } from '../engine/trainer';
import { TwoThreadWasmBackend, type StartHelper } from '../engine/wasm/two-thread-backend';
import { WasmBackend } from '../engine/wasm/wasm-backend';
import type { LabeledImages } from '../engine/labeled-images';
import { INPUT_SIZE, CLASS_COUNT } from '../engine/shapes';
import { DataFileError } from '../data/data-file-error';
import { gunzipIfNeeded } from '../data/gunzip';
import { parseIdxImages, parseIdxLabels } from '../data/idx';
import { assembleMnist } from '../data/mnist';
import {
  DEFAULT_HYPERPARAMETERS,
  resetRequiredBy,
  validatePatch,
  type Hyperparameters,
} from '../shared/hyperparameters';
import { MNIST_FILES, decompressedSize, type MnistFileRole } from '../shared/mnist-files';
import {
  MAX_USER_SAMPLES,
  type LabeledDrawing,
  type MnistUrls,
  type Prediction,
  type StepUnit,
  type TrainerApi,
  type TrainerError,
  type TrainerEvent,
  type TrainerListener,
  type TrainingState,
  type TrainingStatus,
} from '../shared/trainer-api';
import { fetchAllWithProgress } from './fetch-with-progress';
import { MetricsBatcher } from './metrics-batcher';
import { RunLoop, type RunLoopClock, type SliceOutcome } from './run-loop';

/** Held-out sets are scored this many times per epoch, and at every epoch's end. */
export const EVALUATIONS_PER_EPOCH = 4;
/** A status update is sent at most this often while training. */
const STATUS_INTERVAL_MS = 100;
/** Window over which samples/s is measured. */
const SPEED_WINDOW_MS = 1000;

interface MnistSets {
  readonly train: LabeledImages;
  readonly validation: LabeledImages;
  readonly test: LabeledImages;
}

/** A held-out set being scored a slice at a time. */
interface EvaluationJob {
  readonly splits: Array<'validation' | 'test'>;
  /** Scheduled by the end of an epoch (rather than a quarter of one). */
  readonly endsEpoch: boolean;
  next: number;
  total: EvaluationSummary;
}

/**
 * What the running loop is for. A batch step counts samples so that an evaluation left
 * unfinished by a pause, which the step completes first, does not end the step by itself.
 */
/** What two-thread training needs from the platform. */
export interface ThreadSupport {
  /** Compiles kernels-shared.wasm (shared, imported memory). */
  compileSharedKernels(): Promise<object>;
  /** Starts the helper thread that computes half of each batch. */
  readonly startHelper: StartHelper;
}

type Goal = { kind: 'run' } | { kind: 'epoch'; epochsCompleted: number } | { kind: 'batch'; samplesBefore: number };

export class TrainerService implements TrainerApi {
  private listener: TrainerListener | null = null;
  private hyperparameters: Hyperparameters = DEFAULT_HYPERPARAMETERS;
  private state: TrainingState = 'loading';
  private runId = 0;
  private data: MnistSets | null = null;
  private trainer: Trainer | null = null;
  private loading: Promise<void> | null = null;
  /** The user's labelled drawings; they outlive resets. */
  private userSamples: LabeledImages = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };

  private goal: Goal = { kind: 'run' };
  private evaluation: EvaluationJob | null = null;
  /** Measured throughput, used to size each call so slices stay short. */
  private trainSamplesPerMs = 1;
  private evalSamplesPerMs = 5;
  private speedWindow = { startMs: 0, startSamples: 0, samplesPerSec: 0 };
  private lastStatusMs = -Infinity;
  private checkpointSamples = 0;

  private readonly batcher: MetricsBatcher;
  private readonly loop: RunLoop;

  /** The compiled WebAssembly kernels, or null where they cannot run (no SIMD). */
  private kernels: object | null = null;
  /** kernels-shared.wasm, or null where two threads cannot run. */
  private sharedKernels: object | null = null;

  constructor(
    private readonly clock: RunLoopClock,
    /** Compiles kernels.wasm; how depends on the platform (fetch in a worker, fs in Node). */
    private readonly compileKernels: () => Promise<object>,
    /** Null where SharedArrayBuffer is unavailable (a page that is not cross-origin isolated). */
    private readonly threadSupport: ThreadSupport | null = null,
  ) {
    this.batcher = new MetricsBatcher((batch) => this.emit({ type: 'metrics', batch }));
    this.loop = new RunLoop((deadline) => this.runSlice(deadline), clock);
  }

  async subscribe(listener: TrainerListener): Promise<void> {
    this.listener = listener;
    this.emitStatus();
  }

  async loadData(urls: MnistUrls): Promise<void> {
    if (this.data !== null) return;
    this.loading ??= this.fetchAndParse(urls).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  async start(): Promise<void> {
    const trainer = this.requireTrainer();
    if (this.state === 'done' && trainer.epochsCompleted >= this.hyperparameters.epochs) this.rebuild();
    this.goal = { kind: 'run' };
    this.run();
  }

  async pause(): Promise<void> {
    if (this.state !== 'training') return;
    this.loop.stop();
    this.settle('paused');
  }

  async step(unit: StepUnit): Promise<void> {
    const trainer = this.requireTrainer();
    if (this.state === 'training') this.loop.stop();
    if (this.state === 'done') this.rebuild();
    this.goal =
      unit === 'batch'
        ? { kind: 'batch', samplesBefore: trainer.samplesSeen }
        : { kind: 'epoch', epochsCompleted: trainer.epochsCompleted };
    await this.run();
  }

  async reset(): Promise<void> {
    this.requireTrainer();
    this.loop.stop();
    this.rebuild();
    this.setState('ready');
  }

  async setHyperparameters(patch: Partial<Hyperparameters>): Promise<void> {
    const { values, problems } = validatePatch(patch);
    if (problems.length > 0) this.emit({ type: 'notice', messages: problems });
    const before = this.hyperparameters;
    this.hyperparameters = { ...before, ...values };
    if (this.trainer === null) {
      this.emitStatus();
      return;
    }
    if (resetRequiredBy(before, this.hyperparameters).length > 0) {
      await this.reset();
      return;
    }
    this.trainer.setLearningRate(this.hyperparameters.learningRate);
    this.trainer.setMomentum(this.hyperparameters.momentum);
    this.trainer.setBatchSize(this.hyperparameters.batchSize);
    this.trainer.setAugment(this.hyperparameters.augment === 'on');
    // More epochs after the end lets the user continue where the run stopped.
    if (this.state === 'done' && this.trainer.epochsCompleted < this.hyperparameters.epochs) this.settle('paused');
    else this.emitStatus();
  }

  async setUserSamples(samples: readonly LabeledDrawing[]): Promise<void> {
    this.userSamples = toLabeledImages(samples);
    this.trainer?.setUserSamples(this.userSamples);
    this.emitStatus();
  }

  async predict(pixels: Float32Array): Promise<Prediction> {
    const trainer = this.requireTrainer();
    if (pixels.length !== INPUT_SIZE || !pixels.every((value) => value >= 0 && value <= 1)) {
      throw new Error(`predict needs ${INPUT_SIZE} intensities in 0..1, got ${pixels.length} values.`);
    }
    const probabilities = new Float32Array(CLASS_COUNT);
    trainer.predict(pixels, probabilities);
    return { probabilities, samplesSeen: trainer.samplesSeen };
  }

  // ---- data ----

  private async fetchAndParse(urls: MnistUrls): Promise<void> {
    this.setState('loading');
    try {
      const files = MNIST_FILES.map((info) => ({
        file: info.fileName,
        url: urls[info.role],
        decodedSize: decompressedSize(info),
      }));
      const kernels = this.kernels === null ? this.prepareKernels() : Promise.resolve();
      const compressed = await fetchAllWithProgress(files, (loadedBytes, totalBytes) =>
        this.emit({ type: 'progress', progress: { loadedBytes, totalBytes, phase: 'download' } }),
      );
      await kernels;
      this.emit({ type: 'progress', progress: { loadedBytes: 1, totalBytes: 1, phase: 'decompress' } });
      const decompressed = {} as Record<MnistFileRole, Uint8Array>;
      await Promise.all(
        MNIST_FILES.map(async (info, index) => {
          const bytes = await gunzipIfNeeded(compressed[index]!, info.fileName);
          // Parse here so the error names the file; assembleMnist checks they agree.
          if (info.kind === 'images') parseIdxImages(bytes, info.fileName, info.count);
          else parseIdxLabels(bytes, info.fileName, info.count);
          decompressed[info.role] = bytes;
        }),
      );
      this.data = assembleMnist(decompressed);
      this.emit({ type: 'progress', progress: { loadedBytes: 1, totalBytes: 1, phase: 'done' } });
      this.rebuild();
      this.setState('ready');
    } catch (error) {
      this.fail(describeLoadError(error));
    }
  }

  /** Compiles the WebAssembly kernels; where that fails, training uses the TypeScript engine. */
  private async prepareKernels(): Promise<void> {
    try {
      this.kernels = await this.compileKernels();
      this.sharedKernels = (await this.threadSupport?.compileSharedKernels().catch(() => null)) ?? null;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.emit({
        type: 'notice',
        messages: [`WebAssembly SIMD is not available here (${reason}); training uses the slower TypeScript engine.`],
      });
    }
  }

  private backendFactory(): BackendFactory | undefined {
    const { kernels, sharedKernels, threadSupport } = this;
    const { backend } = this.hyperparameters;
    if (backend === 'typescript' || kernels === null) return undefined;
    if (backend === 'wasm-threads') {
      if (sharedKernels !== null && threadSupport !== null) {
        return (hiddenSize, optimizer) =>
          TwoThreadWasmBackend.start(sharedKernels, hiddenSize, optimizer, threadSupport.startHelper);
      }
      this.emit({
        type: 'notice',
        messages: [
          'Two threads need SharedArrayBuffer, which this page does not have (it must be served with ' +
            'Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers); training uses one thread.',
        ],
      });
    }
    return (hiddenSize, optimizer) => new WasmBackend(kernels, hiddenSize, optimizer);
  }

  // ---- training ----

  private rebuild(): void {
    const data = this.requireData();
    const h = this.hyperparameters;
    this.trainer?.dispose();
    this.trainer = new Trainer(data.train, {
      createBackend: this.backendFactory(),
      hiddenSize: h.hiddenSize,
      optimizer: h.optimizer,
      init: h.init,
      seed: h.seed,
      learningRate: h.learningRate,
      momentum: h.momentum,
      batchSize: h.batchSize,
      augment: h.augment === 'on',
    });
    if (this.userSamples.count > 0) this.trainer.setUserSamples(this.userSamples);
    this.trainer.saveCheckpoint();
    this.checkpointSamples = 0;
    this.runId += 1;
    this.evaluation = null;
    this.batcher.clear();
  }

  private run(): Promise<void> {
    this.speedWindow = { startMs: this.clock.now(), startSamples: this.requireTrainer().samplesSeen, samplesPerSec: 0 };
    this.setState('training');
    return this.loop.start();
  }

  /** One time slice of training and evaluation; the only place that looks at the clock. */
  private runSlice(deadlineMs: number): SliceOutcome {
    const trainer = this.requireTrainer();
    let outcome: SliceOutcome = 'continue';
    while (outcome === 'continue' && this.clock.now() < deadlineMs) {
      outcome = this.evaluation !== null ? this.evaluateSome(deadlineMs) : this.trainSome(trainer, deadlineMs);
    }
    const now = this.clock.now();
    this.batcher.maybeFlush(now, this.runId);
    if (outcome === 'continue' && now - this.lastStatusMs >= STATUS_INTERVAL_MS) {
      this.measureSpeed(now, trainer.samplesSeen);
      this.emitStatus();
    }
    return outcome;
  }

  private trainSome(trainer: Trainer, deadlineMs: number): SliceOutcome {
    const remainingMs = Math.max(1, deadlineMs - this.clock.now());
    // A budget of one sample trains exactly one batch.
    const budget =
      this.goal.kind === 'batch'
        ? 1
        : Math.max(1, Math.min(this.batcher.samplesUntilPoint, Math.floor(this.trainSamplesPerMs * remainingMs)));
    const startedMs = this.clock.now();
    const quarterBefore = Math.floor(trainer.epoch * EVALUATIONS_PER_EPOCH);
    const summary = trainer.train(budget);
    this.trainSamplesPerMs = smoothRate(this.trainSamplesPerMs, summary.samples, this.clock.now() - startedMs);

    if (summary.diverged) {
      this.handleDivergence(trainer);
      return 'stop';
    }
    this.batcher.addTraining(summary.samples, summary.lossSum, summary.correct, trainer.samplesSeen, this.runId);

    const evaluationDue = summary.epochEnded || Math.floor(trainer.epoch * EVALUATIONS_PER_EPOCH) > quarterBefore;
    if (evaluationDue) {
      this.evaluation = { splits: ['validation', 'test'], endsEpoch: summary.epochEnded, next: 0, total: emptySummary() };
    }
    if (this.goal.kind === 'batch' && !evaluationDue) return this.finishStep();
    return 'continue';
  }

  private evaluateSome(deadlineMs: number): SliceOutcome {
    const job = this.evaluation!;
    const trainer = this.requireTrainer();
    const split = job.splits[0]!;
    const set = this.requireData()[split];
    const remainingMs = Math.max(1, deadlineMs - this.clock.now());
    const count = Math.min(set.count - job.next, Math.max(100, Math.floor(this.evalSamplesPerMs * remainingMs)));
    const startedMs = this.clock.now();
    const part = trainer.evaluate(set, job.next, count);
    this.evalSamplesPerMs = smoothRate(this.evalSamplesPerMs, count, this.clock.now() - startedMs);
    job.next += count;
    job.total = {
      count: job.total.count + part.count,
      lossSum: job.total.lossSum + part.lossSum,
      correct: job.total.correct + part.correct,
    };
    if (job.next < set.count) return 'continue';

    const loss = job.total.lossSum / job.total.count;
    this.batcher.addEvaluation({
      split,
      samplesSeen: trainer.samplesSeen,
      epoch: trainer.epoch,
      loss,
      accuracy: job.total.correct / job.total.count,
    });
    job.splits.shift();
    job.next = 0;
    job.total = emptySummary();
    if (job.splits.length > 0) return 'continue';

    this.evaluation = null;
    if (Number.isFinite(loss)) {
      trainer.saveCheckpoint();
      this.checkpointSamples = trainer.samplesSeen;
    }
    if (job.endsEpoch && trainer.epochsCompleted >= this.hyperparameters.epochs) {
      this.settle('done');
      return 'stop';
    }
    if (this.goal.kind !== 'run') {
      const stepFinished =
        this.goal.kind === 'batch'
          ? trainer.samplesSeen > this.goal.samplesBefore
          : trainer.epochsCompleted > this.goal.epochsCompleted;
      if (stepFinished) return this.finishStep();
    }
    return 'continue';
  }

  private finishStep(): SliceOutcome {
    this.settle('paused');
    return 'stop';
  }

  private handleDivergence(trainer: Trainer): void {
    const rate = this.hyperparameters.learningRate;
    trainer.restoreCheckpoint();
    this.batcher.clear();
    this.settle('paused');
    this.emit({
      type: 'error',
      error: {
        code: 'diverged',
        message:
          `Training diverged: with learning rate ${rate} the loss became infinite or NaN. ` +
          `The network was rolled back to ${this.checkpointSamples.toLocaleString('en-US')} samples; ` +
          `lower the learning rate and continue.`,
      },
    });
  }

  /** Leaves the training state: flushes what is pending so the page sees the final point. */
  private settle(state: TrainingState): void {
    this.loop.stop();
    const trainer = this.requireTrainer();
    this.batcher.flush(this.clock.now(), this.runId, trainer.samplesSeen);
    this.speedWindow.samplesPerSec = 0;
    this.setState(state);
  }

  private measureSpeed(nowMs: number, samplesSeen: number): void {
    const window = this.speedWindow;
    const elapsedMs = nowMs - window.startMs;
    if (elapsedMs < SPEED_WINDOW_MS / 4) return;
    window.samplesPerSec = ((samplesSeen - window.startSamples) * 1000) / elapsedMs;
    if (elapsedMs >= SPEED_WINDOW_MS) {
      window.startMs = nowMs;
      window.startSamples = samplesSeen;
    }
  }

  // ---- reporting ----

  private setState(state: TrainingState): void {
    this.state = state;
    this.emitStatus();
  }

  private fail(error: TrainerError): void {
    this.loop.stop();
    this.state = 'error';
    this.emit({ type: 'error', error });
    this.emitStatus();
  }

  private emitStatus(): void {
    this.lastStatusMs = this.clock.now();
    this.emit({ type: 'status', status: this.status() });
  }

  private status(): TrainingStatus {
    const trainer = this.trainer;
    return {
      state: this.state,
      runId: this.runId,
      epoch: trainer?.epoch ?? 0,
      samplesSeen: trainer?.samplesSeen ?? 0,
      samplesPerSec: this.state === 'training' ? this.speedWindow.samplesPerSec : 0,
      hyperparameters: this.hyperparameters,
      backend: trainer?.backendName ?? '',
      workers: trainer?.threads ?? 1,
      // At most a few hundred forward passes, ten times a second: cheap next to training.
      userSamples: { count: this.userSamples.count, learned: trainer?.countLearnedUserSamples() ?? 0 },
    };
  }

  private emit(event: TrainerEvent): void {
    // Never awaited: a slow page must not stall training.
    void this.listener?.(event);
  }

  private requireData(): MnistSets {
    if (this.data === null) throw new Error('The MNIST data is not loaded yet.');
    return this.data;
  }

  private requireTrainer(): Trainer {
    if (this.trainer === null) throw new Error('The network is not ready: the data is still loading.');
    return this.trainer;
  }
}

function emptySummary(): EvaluationSummary {
  return { count: 0, lossSum: 0, correct: 0 };
}

/** Exponentially smoothed samples per millisecond; ignores calls too short to time. */
function smoothRate(previous: number, samples: number, elapsedMs: number): number {
  if (elapsedMs <= 0.05) return previous * 1.5;
  return 0.7 * previous + 0.3 * (samples / elapsedMs);
}

/** Checks the page's drawings and packs them the way the engine reads images. */
function toLabeledImages(samples: readonly LabeledDrawing[]): LabeledImages {
  if (samples.length > MAX_USER_SAMPLES) {
    throw new RangeError(`At most ${MAX_USER_SAMPLES} of your own samples can train, got ${samples.length}.`);
  }
  const images = new Uint8Array(samples.length * INPUT_SIZE);
  const labels = new Uint8Array(samples.length);
  samples.forEach(({ label, pixels }, index) => {
    if (!Number.isInteger(label) || label < 0 || label >= CLASS_COUNT) {
      throw new RangeError(`Sample ${index + 1} has label ${label}; labels are digits 0–9.`);
    }
    if (!(pixels instanceof Uint8Array) || pixels.length !== INPUT_SIZE) {
      throw new RangeError(`Sample ${index + 1} must be ${INPUT_SIZE} bytes (28×28), got ${pixels?.length ?? 'none'}.`);
    }
    images.set(pixels, index * INPUT_SIZE);
    labels[index] = label;
  });
  return { images, labels, count: samples.length };
}

function describeLoadError(error: unknown): TrainerError {
  if (error instanceof DataFileError) return { code: error.code, message: error.message, file: error.file };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Loading the data failed: ${message}` };
}
