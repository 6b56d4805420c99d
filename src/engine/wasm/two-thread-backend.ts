// Data-parallel training on two threads: the WebAssembly backend on kernels-shared.wasm,
// whose memory a helper thread's instance shares. Each batch is split in two:
// 1. each thread runs forward and backward over its half of the samples, reading the same
//    parameters and data copy, into its own work area;
// 2. each thread updates half of W1's rows, summing both threads' gradient entries for
//    each of its rows (the split balances the entries);
// 3. this thread adds the helper's b1/W2/b2 gradients to its own and updates them.
// Every gradient is scaled by 1/(whole batch), so results match the single-thread backend
// up to float summation order. Batches of one sample run on this thread alone, and so do
// all batches until the helper has started.
//
// Pure: the caller starts the helper thread (a nested Worker, a worker_threads Worker),
// hands it the HelperInit and runs `runGradientHelper(init)` there.

import { TRANSFORM_STRIDE } from '../augmentation';
import type { BatchStats, OptimizerName } from '../mlp-backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from '../optimizer';
import { INPUT_SIZE } from '../shapes';
import { instantiate, WasmBackend, type KernelExports } from './wasm-backend';

const DEFAULT_MAX_BATCH = 1024;
/** 64 KiB pages the shared memory may grow to; kernels-shared.wasm declares the same maximum. */
const MAXIMUM_PAGES = 16384;

// The control block: Int32 slots in shared memory. MAIN and HELPER count phases: per
// batch k, MAIN reaches 2k+1 (work posted) and 2k+2 (both halves grouped, rows split);
// HELPER reaches 2k+1 (its half done) and 2k+2 (its rows updated).
const MAIN = 0;
const HELPER = 1;
const IMAGES = 2;
const LABELS = 3;
const ROWS = 4;
const WARPS = 5;
const COUNT = 6;
const AUGMENTED = 7;
const SCALE = 8; // float32
const ADAM_STEP = 9; // 0 for SGD
const RATE = 10; // float32
const MOMENTUM = 11; // float32
const SPLIT = 12;
const CORRECT = 13;
/** The helper's work area, published once it is configured (seven addresses). */
const PARTNER = 14;
const LOSS = 11; // float64 slot: bytes 88..95
const CONTROL_BYTES = 96;
/** HELPER before the helper has published its work area. */
const STARTING = -1;

/**
 * Loads to spin (a few µs) before sleeping in Atomics.wait. Measured in Node on 2 cores,
 * batch 64: idle, 2k and 200k spins train equally fast (about 1.3× one thread); with a
 * third busy process, 200k spins fall to 0.15× (a spinning thread holds the core its
 * partner needs) and 2k to 0.8×.
 */
const SPINS = 2_000;

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
  /** Addresses of w1, b1, w2, b2 and W1's two moments in the main instance. */
  readonly parameters: readonly [number, number, number, number, number, number];
  /** The main instance's work area, as `publish` lists it. */
  readonly partner: readonly number[];
}

/** Starts a helper thread running `runGradientHelper(init)`; returns how to stop it. */
export type StartHelper = (init: HelperInit) => { terminate(): void };

interface SharedMemoryGlobal {
  readonly Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { readonly buffer: ArrayBufferLike };
}

// ES2024's Atomics.waitAsync, not in the engine's ES2023 lib.
type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: Promise<string> | string };

/** Waits until control[slot] reaches `target` (counters only grow), spinning first. */
function awaitPhase(control: Int32Array, slot: number, target: number): void {
  for (let i = 0; ; i++) {
    const value = Atomics.load(control, slot);
    if (((value - target) | 0) >= 0) return;
    if (i >= SPINS) Atomics.wait(control, slot, value);
  }
}

function advance(control: Int32Array, slot: number, value: number): void {
  Atomics.store(control, slot, value);
  Atomics.notify(control, slot);
}

/** The work-area addresses the other thread reads, in setPartner's order. */
function publish(kernels: KernelExports): number[] {
  return [
    kernels.rowStartPtr(),
    kernels.rowEntryOffsetPtr(),
    kernels.rowEntryValuePtr(),
    kernels.dhidPtr(),
    kernels.gb1Ptr(),
    kernels.gw2Ptr(),
    kernels.gb2Ptr(),
  ];
}

function setPartner(kernels: KernelExports, work: ArrayLike<number>): void {
  kernels.setPartner(work[0], work[1], work[2], work[3], work[4], work[5], work[6]);
}

/** Passes the batch's optimizer settings, written to the control block, to the kernels. */
function useOptimizer(kernels: KernelExports, control: Int32Array, floats: Float32Array): void {
  const step = control[ADAM_STEP];
  if (step > 0) kernels.useAdamStep(floats[RATE], ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, step);
  else kernels.useSgd(floats[RATE], floats[MOMENTUM]);
}

/** The helper thread's whole life: configure, publish its work area, then serve batches. */
export function runGradientHelper(init: HelperInit): never {
  const kernels = instantiate(init.module, init.memory);
  kernels.configureHelper(init.hiddenSize, init.maxBatchSize, init.base, ...init.parameters);
  setPartner(kernels, init.partner);
  const control = new Int32Array(kernels.memory.buffer, init.control, CONTROL_BYTES / 4);
  const floats = new Float32Array(control.buffer, init.control, CONTROL_BYTES / 4);
  const loss = new Float64Array(control.buffer, init.control, CONTROL_BYTES / 8);
  control.set(publish(kernels), PARTNER);
  let phase = 0;
  advance(control, HELPER, phase);
  for (;;) {
    awaitPhase(control, MAIN, phase + 1);
    loss[LOSS] = kernels.halfGradients(
      control[IMAGES],
      control[LABELS],
      control[ROWS],
      control[WARPS],
      control[COUNT],
      control[AUGMENTED] !== 0,
      floats[SCALE],
    );
    control[CORRECT] = kernels.lastCorrect();
    advance(control, HELPER, phase + 1);
    awaitPhase(control, MAIN, phase + 2);
    useOptimizer(kernels, control, floats);
    kernels.updateRows(control[SPLIT], INPUT_SIZE, true);
    phase += 2;
    advance(control, HELPER, phase);
  }
}

export class TwoThreadWasmBackend extends WasmBackend {
  override readonly name = 'wasm-simd-2';
  readonly workers = 2;
  private readonly control: Int32Array;
  private readonly floats: Float32Array;
  private readonly loss: Float64Array;
  private helper: { terminate(): void } | null = null;
  private partnered = false;
  private phase = 0;

  /**
   * Starts the helper and returns at once: batches run on this thread alone until the
   * helper is ready. @param module the compiled kernels-shared.wasm.
   */
  static start(
    module: object,
    hiddenSize: number,
    optimizer: OptimizerName,
    startHelper: StartHelper,
    maxBatchSize = DEFAULT_MAX_BATCH,
  ): TwoThreadWasmBackend {
    const { WebAssembly } = globalThis as unknown as { WebAssembly: SharedMemoryGlobal };
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
    const backend = new TwoThreadWasmBackend(module, hiddenSize, optimizer, maxBatchSize, memory);
    const { kernels, control } = backend;
    backend.helper = startHelper({
      module,
      memory,
      hiddenSize,
      maxBatchSize,
      base: kernels.allocateBytes(kernels.workAreaBytes()),
      control: control.byteOffset,
      parameters: [kernels.w1Ptr(), kernels.b1Ptr(), kernels.w2Ptr(), kernels.b2Ptr(), kernels.momentsPtr(), kernels.secondMomentsPtr()],
      partner: publish(kernels),
    });
    return backend;
  }

  /** Starts the helper and resolves once it is ready; see `start`. */
  static async create(
    module: object,
    hiddenSize: number,
    optimizer: OptimizerName,
    startHelper: StartHelper,
    maxBatchSize = DEFAULT_MAX_BATCH,
  ): Promise<TwoThreadWasmBackend> {
    const backend = TwoThreadWasmBackend.start(module, hiddenSize, optimizer, startHelper, maxBatchSize);
    // Blocking here could keep a browser from ever starting the nested worker, so wait async.
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    while (Atomics.load(backend.control, HELPER) === STARTING) {
      if ((await waitAsync(backend.control, HELPER, STARTING, 10_000).value) === 'timed-out') {
        backend.dispose();
        throw new Error('The gradient helper thread did not start');
      }
    }
    return backend;
  }

  /** The helper has started and takes half of each batch (of two samples or more). */
  get sharing(): boolean {
    if (this.helper === null) return false;
    if (!this.partnered) {
      if (Atomics.load(this.control, HELPER) === STARTING) return false;
      setPartner(this.kernels, this.control.subarray(PARTNER, PARTNER + 7));
      this.partnered = true;
    }
    return true;
  }

  private constructor(module: object, hiddenSize: number, optimizer: OptimizerName, maxBatchSize: number, memory: object) {
    super(module, hiddenSize, optimizer, maxBatchSize, memory);
    const at = this.kernels.allocateBytes(CONTROL_BYTES);
    const buffer = this.kernels.memory.buffer;
    this.control = new Int32Array(buffer, at, CONTROL_BYTES / 4);
    this.floats = new Float32Array(buffer, at, CONTROL_BYTES / 4);
    this.loss = new Float64Array(buffer, at, CONTROL_BYTES / 8);
    this.control[HELPER] = STARTING;
  }

  override get threads(): number {
    return this.sharing ? 2 : 1;
  }

  /** Stops the helper thread; batches then run on this thread alone. */
  override dispose(): void {
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
    if (count < 2 || !this.sharing) {
      super.runBatch(images, labels, count, augmented, gradientWeight, learningRate, momentum, stats);
      return;
    }
    const { kernels, control, floats } = this;
    const own = count >> 1;
    // The kernels' own f32 division of the weight by the batch size.
    const scale = Math.fround(Math.fround(gradientWeight) / count);
    control[IMAGES] = images;
    control[LABELS] = labels;
    control[ROWS] = kernels.indicesPtr() + own * 4;
    control[WARPS] = kernels.transformsPtr() + own * TRANSFORM_STRIDE * 4;
    control[COUNT] = count - own;
    control[AUGMENTED] = augmented ? 1 : 0;
    floats[SCALE] = scale;
    control[ADAM_STEP] = this.optimizer === 'adam' ? this.adamStepNumber : 0;
    floats[RATE] = learningRate;
    floats[MOMENTUM] = momentum;
    const phase = this.phase;
    advance(control, MAIN, phase + 1);
    const ownLoss = kernels.halfGradients(images, labels, kernels.indicesPtr(), kernels.transformsPtr(), own, augmented, scale);
    const ownCorrect = kernels.lastCorrect();
    awaitPhase(control, HELPER, phase + 1);
    const split = kernels.splitRow();
    control[SPLIT] = split;
    advance(control, MAIN, phase + 2);
    useOptimizer(kernels, control, floats);
    kernels.updateRows(0, split, true);
    kernels.finishSharedBatch();
    stats.lossSum = ownLoss + this.loss[LOSS];
    stats.correct = ownCorrect + control[CORRECT];
    awaitPhase(control, HELPER, phase + 2);
    this.phase = phase + 2;
  }
}
