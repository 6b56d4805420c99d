// Data-parallel training on two threads: the WebAssembly backend on kernels-shared.wasm,
// whose memory a helper thread's instance shares. Each batch is split in two; the helper
// computes the gradients of its half into its own work area, reading the same parameters
// and data copy, while this thread computes the other half; then this thread adds the
// helper's gradients and applies one optimizer step on the mean over the whole batch, so
// results match the single-thread backend up to float summation order.
//
// Pure: the caller starts the helper thread (a nested Worker, a worker_threads Worker),
// hands it the HelperInit and runs `runGradientHelper(init)` there.

import { TRANSFORM_STRIDE } from '../augmentation';
import type { BatchStats, OptimizerName } from '../mlp-backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from '../optimizer';
import { instantiate, WasmBackend } from './wasm-backend';

const DEFAULT_MAX_BATCH = 1024;
/** 64 KiB pages the shared memory may grow to; kernels-shared.wasm declares the same maximum. */
const MAXIMUM_PAGES = 16384;

// The control block, Int32 slots in shared memory. STATE moves STARTING → IDLE, then
// IDLE → WORK (this thread) → DONE (helper) → IDLE (this thread) once per batch.
const STATE = 0;
const IMAGES = 1;
const LABELS = 2;
const ROWS = 3;
const WARPS = 4;
const COUNT = 5;
const AUGMENTED = 6;
const SCALE = 7; // float32 bits
const CORRECT = 8;
// The helper's work area, published once it is configured.
const PARTNER = 9; // rowStart, gw1, gb1, gw2, gb2
const LOSS_FLOAT64 = 8; // Float64 slot (bytes 64..71)
const CONTROL_BYTES = 72;

const STARTING = 0;
const IDLE = 1;
const WORK = 2;
const DONE = 3;

/** What the helper thread needs; structured-cloneable (postMessage, workerData). */
export interface HelperInit {
  /** The compiled kernels-shared.wasm. */
  readonly module: object;
  /** The shared WebAssembly.Memory. */
  readonly memory: object;
  readonly hiddenSize: number;
  readonly maxBatchSize: number;
  /** Address of the helper's work area. */
  readonly base: number;
  readonly control: number;
  /** Addresses of w1, b1, w2, b2 in the main instance. */
  readonly parameters: readonly [number, number, number, number];
}

/** Starts a helper thread running `runGradientHelper(init)`; returns how to stop it. */
export type StartHelper = (init: HelperInit) => { terminate(): void };

interface SharedMemoryGlobal {
  readonly Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { readonly buffer: ArrayBufferLike };
}

// ES2024's Atomics.waitAsync, not in the engine's ES2023 lib.
type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: Promise<string> | string };

/** The helper thread's whole life: configure, publish its work area, then serve batches. */
export function runGradientHelper(init: HelperInit): never {
  const kernels = instantiate(init.module, init.memory);
  const [w1, b1, w2, b2] = init.parameters;
  kernels.configureHelper(init.hiddenSize, init.maxBatchSize, init.base, w1, b1, w2, b2);
  const control = new Int32Array(kernels.memory.buffer, init.control, CONTROL_BYTES / 4);
  const scale = new Float32Array(control.buffer, init.control, CONTROL_BYTES / 4);
  const loss = new Float64Array(control.buffer, init.control, CONTROL_BYTES / 8);
  control.set([kernels.rowStartPtr(), kernels.gw1Ptr(), kernels.gb1Ptr(), kernels.gw2Ptr(), kernels.gb2Ptr()], PARTNER);
  Atomics.store(control, STATE, IDLE);
  Atomics.notify(control, STATE);
  for (;;) {
    const state = Atomics.load(control, STATE);
    if (state !== WORK) {
      Atomics.wait(control, STATE, state);
      continue;
    }
    loss[LOSS_FLOAT64] = kernels.helperGradients(
      control[IMAGES],
      control[LABELS],
      control[ROWS],
      control[WARPS],
      control[COUNT],
      control[AUGMENTED] !== 0,
      scale[SCALE],
    );
    control[CORRECT] = kernels.lastCorrect();
    Atomics.store(control, STATE, DONE);
    Atomics.notify(control, STATE);
  }
}

export class TwoThreadWasmBackend extends WasmBackend {
  override readonly name = 'wasm-simd-2';
  readonly workers = 2;
  private readonly control: Int32Array;
  private readonly scale: Float32Array;
  private readonly loss: Float64Array;
  private helper: { terminate(): void } | null;

  /**
   * Starts the helper and resolves once it is ready. @param module the compiled
   * kernels-shared.wasm.
   */
  static async create(
    module: object,
    hiddenSize: number,
    optimizer: OptimizerName,
    startHelper: StartHelper,
    maxBatchSize = DEFAULT_MAX_BATCH,
  ): Promise<TwoThreadWasmBackend> {
    const { WebAssembly } = globalThis as unknown as { WebAssembly: SharedMemoryGlobal };
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
    const backend = new TwoThreadWasmBackend(module, hiddenSize, optimizer, maxBatchSize, memory);
    const kernels = backend.kernels;
    backend.helper = startHelper({
      module,
      memory,
      hiddenSize,
      maxBatchSize,
      base: kernels.allocateBytes(kernels.workAreaBytes()),
      control: backend.control.byteOffset,
      parameters: [kernels.w1Ptr(), kernels.b1Ptr(), kernels.w2Ptr(), kernels.b2Ptr()],
    });
    // Blocking here could keep a browser from ever starting the nested worker, so wait async.
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    while (Atomics.load(backend.control, STATE) === STARTING) {
      const result = waitAsync(backend.control, STATE, STARTING, 10_000);
      if ((await result.value) === 'timed-out') {
        backend.dispose();
        throw new Error('The gradient helper thread did not start');
      }
    }
    const control = backend.control;
    kernels.setPartner(control[PARTNER], control[PARTNER + 1], control[PARTNER + 2], control[PARTNER + 3], control[PARTNER + 4]);
    return backend;
  }

  private constructor(module: object, hiddenSize: number, optimizer: OptimizerName, maxBatchSize: number, memory: object) {
    super(module, hiddenSize, optimizer, maxBatchSize, memory);
    const at = this.kernels.allocateBytes(CONTROL_BYTES);
    const buffer = this.kernels.memory.buffer;
    this.control = new Int32Array(buffer, at, CONTROL_BYTES / 4);
    this.scale = new Float32Array(buffer, at, CONTROL_BYTES / 4);
    this.loss = new Float64Array(buffer, at, CONTROL_BYTES / 8);
    this.helper = null;
  }

  /** Stops the helper thread; the backend must not train afterwards. */
  dispose(): void {
    this.helper?.terminate();
    this.helper = null;
  }

  protected override runBatch(
    images: number,
    labels: number,
    count: number,
    augmented: boolean,
    gradientWeight: number,
    learningRate: number,
    momentum: number,
    stats: BatchStats,
  ): void {
    if (count < 2 || this.helper === null) {
      super.runBatch(images, labels, count, augmented, gradientWeight, learningRate, momentum, stats);
      return;
    }
    const kernels = this.kernels;
    const control = this.control;
    const own = count >> 1;
    const scale = Math.fround(Math.fround(gradientWeight) / count);
    control[IMAGES] = images;
    control[LABELS] = labels;
    control[ROWS] = kernels.indicesPtr() + own * 4;
    control[WARPS] = kernels.transformsPtr() + own * TRANSFORM_STRIDE * 4;
    control[COUNT] = count - own;
    control[AUGMENTED] = augmented ? 1 : 0;
    this.scale[SCALE] = scale;
    Atomics.store(control, STATE, WORK);
    Atomics.notify(control, STATE);
    const ownLoss = kernels.mainGradients(images, labels, own, augmented, scale);
    const ownCorrect = kernels.lastCorrect();
    while (Atomics.load(control, STATE) !== DONE) Atomics.wait(control, STATE, WORK);
    stats.lossSum = ownLoss + this.loss[LOSS_FLOAT64];
    stats.correct = ownCorrect + control[CORRECT];
    Atomics.store(control, STATE, IDLE);
    if (this.optimizer === 'adam') {
      kernels.finishSharedBatchAdam(learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, this.adamStepNumber);
    } else {
      kernels.finishSharedBatchSgd(learningRate, momentum);
    }
  }
}
