// The WebAssembly SIMD backend: typed glue around assembly/kernels.ts, implementing the same
// MlpBackend contract as the TypeScript reference. Pure: the caller compiles kernels.wasm
// (fetch, fs or a bundler URL) and passes the module in, so this file needs no DOM, worker
// or Node API, only the WebAssembly global every target has.

import { TRANSFORM_STRIDE } from '../augmentation';
import type { LabeledImages } from '../labeled-images';
import type { BatchStats, MlpBackend, OptimizerName } from '../mlp-backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from '../optimizer';
import { CLASS_COUNT, INPUT_SIZE, parameterLayout, type ParameterLayout } from '../shapes';

/** Largest batch the scratch buffers are sized for (the hyperparameter maximum). */
const DEFAULT_MAX_BATCH = 1024;

export interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  configure(hiddenSize: number, batchLimit: number): void;
  allocateBytes(bytes: number): number;
  paddedHidden(): number;
  w1Ptr(): number;
  b1Ptr(): number;
  w2Ptr(): number;
  b2Ptr(): number;
  indicesPtr(): number;
  transformsPtr(): number;
  inputPtr(): number;
  outputPtr(): number;
  parametersEnd(): number;
  momentsPtr(): number;
  momentsEnd(): number;
  lastCorrect(): number;
  resetOptimizer(): void;
  trainBatchSgd(
    images: number,
    labels: number,
    count: number,
    augmented: boolean,
    gradientWeight: number,
    learningRate: number,
    momentum: number,
  ): number;
  trainBatchAdam(
    images: number,
    labels: number,
    count: number,
    augmented: boolean,
    gradientWeight: number,
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    step: number,
  ): number;
  evaluate(images: number, labels: number, start: number, count: number): number;
  predict(): void;
  workAreaBytes(): number;
  configureHelper(
    hiddenSize: number,
    batchLimit: number,
    base: number,
    w1: number,
    b1: number,
    w2: number,
    b2: number,
    mw1: number,
    sw1: number,
  ): void;
  secondMomentsPtr(): number;
  rowStartPtr(): number;
  rowEntryOffsetPtr(): number;
  rowEntryValuePtr(): number;
  dhidPtr(): number;
  gb1Ptr(): number;
  gw2Ptr(): number;
  gb2Ptr(): number;
  setPartner(rows: number, offsets: number, values: number, dhid: number, gb1: number, gw2: number, gb2: number): void;
  halfGradients(images: number, labels: number, rows: number, warps: number, count: number, augmented: boolean, scale: number): number;
  splitRow(): number;
  updateRows(first: number, last: number, shared: boolean): void;
  finishSharedBatch(): void;
  useSgd(learningRate: number, momentum: number): void;
  useAdamStep(learningRate: number, beta1: number, beta2: number, epsilon: number, step: number): void;
}

const KERNEL_FUNCTIONS = [
  'configure',
  'allocateBytes',
  'paddedHidden',
  'w1Ptr',
  'b1Ptr',
  'w2Ptr',
  'b2Ptr',
  'indicesPtr',
  'transformsPtr',
  'inputPtr',
  'outputPtr',
  'parametersEnd',
  'momentsPtr',
  'momentsEnd',
  'lastCorrect',
  'resetOptimizer',
  'trainBatchSgd',
  'trainBatchAdam',
  'evaluate',
  'predict',
  'workAreaBytes',
  'configureHelper',
  'secondMomentsPtr',
  'rowStartPtr',
  'rowEntryOffsetPtr',
  'rowEntryValuePtr',
  'dhidPtr',
  'gb1Ptr',
  'gw2Ptr',
  'gb2Ptr',
  'setPartner',
  'halfGradients',
  'splitRow',
  'updateRows',
  'finishSharedBatch',
  'useSgd',
  'useAdamStep',
] as const satisfies readonly (keyof KernelExports)[];

// The engine compiles against ES2022 only, which does not declare WebAssembly; this is the
// one constructor used, reached through globalThis.
interface WasmGlobal {
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/**
 * Instantiates kernels.wasm, or kernels-shared.wasm on `memory` (a shared
 * `WebAssembly.Memory`) when given.
 */
export function instantiate(module: object, memory: object | null = null): KernelExports {
  const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmGlobal };
  const exports = new WebAssembly.Instance(module, memory === null ? {} : { env: { memory } }).exports;
  const missing = KERNEL_FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (typeof exports.memory !== 'object' || missing.length > 0) {
    throw new Error(`kernels.wasm does not match this glue (rebuild it): missing ${['memory', ...missing].join(', ')}`);
  }
  return exports as unknown as KernelExports;
}

interface Checkpoint {
  readonly parameters: Uint8Array;
  readonly moments: Uint8Array;
  adamStepNumber: number;
  velocityIsStale: boolean;
}

export class WasmBackend implements MlpBackend {
  readonly name: string = 'wasm-simd';
  readonly hiddenSize: number;
  readonly optimizer: OptimizerName;
  readonly maxBatchSize: number;
  private readonly layout: ParameterLayout;
  protected readonly kernels: KernelExports;
  /** Hidden width inside wasm: rounded up to a multiple of 4 for SIMD; extra units stay 0. */
  private readonly padded: number;
  /**
   * Where each data buffer seen so far was copied in wasm memory. Sets
   * are views on a few long-lived buffers (train, test, the user's samples), so each is
   * copied once, whole; a buffer refilled in place is copied again by `refresh`.
   */
  private readonly copies = new Map<ArrayBufferLike, number>();
  protected adamStepNumber = 0;
  /** As in the reference: momentum-0 steps leave the velocity behind; it restarts from 0. */
  private velocityIsStale = false;
  private checkpoint: Checkpoint | null = null;

  /**
   * @param module the compiled kernels.wasm (a `WebAssembly.Module`); parameters start at 0.
   * @param memory for kernels-shared.wasm: the shared `WebAssembly.Memory` it imports.
   */
  constructor(module: object, hiddenSize: number, optimizer: OptimizerName, maxBatchSize = DEFAULT_MAX_BATCH, memory: object | null = null) {
    this.layout = parameterLayout(hiddenSize);
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be a positive integer, got ${maxBatchSize}`);
    }
    this.hiddenSize = hiddenSize;
    this.optimizer = optimizer;
    this.maxBatchSize = maxBatchSize;
    this.kernels = instantiate(module, memory);
    this.kernels.configure(hiddenSize, maxBatchSize);
    this.padded = this.kernels.paddedHidden();
  }

  trainBatch(
    set: LabeledImages,
    order: Uint32Array,
    start: number,
    count: number,
    learningRate: number,
    momentum: number,
    stats: BatchStats,
    transforms: Float32Array | null = null,
    gradientWeight = 1,
  ): void {
    if (!Number.isInteger(start) || !Number.isInteger(count) || count < 1 || start < 0 || start + count > order.length) {
      throw new RangeError(`Batch [${start}, ${start + count}) is outside an order of ${order.length}`);
    }
    if (count > this.maxBatchSize) throw new RangeError(`Batch of ${count} exceeds the limit of ${this.maxBatchSize}`);
    const images = this.address(set.images);
    const labels = this.address(set.labels);
    const indices = new Uint32Array(this.kernels.memory.buffer, this.kernels.indicesPtr(), count);
    for (let j = 0; j < count; j++) {
      const index = order[start + j];
      // Out-of-range rows would read other memory silently, so they are refused here.
      if (index >= set.count) throw new RangeError(`Index ${index} is outside a set of ${set.count}`);
      indices[j] = index;
    }
    const augmented = transforms !== null;
    if (augmented) {
      const floats = count * TRANSFORM_STRIDE;
      if (transforms.length < floats) throw new RangeError(`${count} samples need ${floats} transform floats`);
      new Float32Array(this.kernels.memory.buffer, this.kernels.transformsPtr(), floats).set(transforms.subarray(0, floats));
    }
    if (this.optimizer === 'adam') {
      this.adamStepNumber++;
    } else {
      if (momentum !== 0 && this.velocityIsStale) {
        this.kernels.resetOptimizer();
        this.velocityIsStale = false;
      }
      if (momentum === 0) this.velocityIsStale = true;
    }
    this.runBatch(images, labels, count, augmented, gradientWeight, learningRate, momentum, stats);
  }

  /** Forward, backward and update over the `count` rows already at `indicesPtr()`. */
  protected runBatch(
    images: number,
    labels: number,
    count: number,
    augmented: boolean,
    gradientWeight: number,
    learningRate: number,
    momentum: number,
    stats: BatchStats,
  ): void {
    stats.lossSum =
      this.optimizer === 'adam'
        ? this.kernels.trainBatchAdam(images, labels, count, augmented, gradientWeight, learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, this.adamStepNumber)
        : this.kernels.trainBatchSgd(images, labels, count, augmented, gradientWeight, learningRate, momentum);
    stats.correct = this.kernels.lastCorrect();
  }

  evaluate(set: LabeledImages, start: number, count: number, stats: BatchStats): void {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > set.count) {
      throw new RangeError(`Range [${start}, ${start + count}) is outside a set of ${set.count}`);
    }
    stats.lossSum = this.kernels.evaluate(this.address(set.images), this.address(set.labels), start, count);
    stats.correct = this.kernels.lastCorrect();
  }

  /** Copies the set's buffers in again, over their earlier copy (a buffer never resizes). */
  refresh(set: LabeledImages): void {
    for (const view of [set.images, set.labels]) {
      const base = this.copies.get(view.buffer);
      if (base === undefined) this.address(view);
      else new Uint8Array(this.kernels.memory.buffer, base, view.buffer.byteLength).set(new Uint8Array(view.buffer));
    }
  }

  predict(pixels: Float32Array, out: Float32Array): void {
    if (pixels.length !== INPUT_SIZE || out.length !== CLASS_COUNT) {
      throw new RangeError(`predict expects ${INPUT_SIZE} pixels and ${CLASS_COUNT} outputs`);
    }
    const buffer = this.kernels.memory.buffer;
    new Float32Array(buffer, this.kernels.inputPtr(), INPUT_SIZE).set(pixels);
    this.kernels.predict();
    out.set(new Float32Array(buffer, this.kernels.outputPtr(), CLASS_COUNT));
  }

  readParameters(out: Float32Array): void {
    const { hiddenSize: h, padded, layout } = this;
    if (out.length !== layout.size) throw new RangeError(`Expected ${layout.size} parameters`);
    const buffer = this.kernels.memory.buffer;
    const w1 = new Float32Array(buffer, this.kernels.w1Ptr(), INPUT_SIZE * padded);
    for (let i = 0; i < INPUT_SIZE; i++) out.set(w1.subarray(i * padded, i * padded + h), layout.w1 + i * h);
    out.set(new Float32Array(buffer, this.kernels.b1Ptr(), h), layout.b1);
    // Inside wasm W2 is class-major (10 × padded); the shared layout is hidden-major.
    const w2 = new Float32Array(buffer, this.kernels.w2Ptr(), CLASS_COUNT * padded);
    for (let k = 0; k < CLASS_COUNT; k++) {
      for (let j = 0; j < h; j++) out[layout.w2 + j * CLASS_COUNT + k] = w2[k * padded + j];
    }
    out.set(new Float32Array(buffer, this.kernels.b2Ptr(), CLASS_COUNT), layout.b2);
  }

  writeParameters(source: Float32Array): void {
    const { hiddenSize: h, padded, layout } = this;
    if (source.length !== layout.size) throw new RangeError(`Expected ${layout.size} parameters`);
    const buffer = this.kernels.memory.buffer;
    const w1 = new Float32Array(buffer, this.kernels.w1Ptr(), INPUT_SIZE * padded);
    for (let i = 0; i < INPUT_SIZE; i++) w1.set(source.subarray(layout.w1 + i * h, layout.w1 + (i + 1) * h), i * padded);
    new Float32Array(buffer, this.kernels.b1Ptr(), h).set(source.subarray(layout.b1, layout.w2));
    const w2 = new Float32Array(buffer, this.kernels.w2Ptr(), CLASS_COUNT * padded);
    for (let k = 0; k < CLASS_COUNT; k++) {
      for (let j = 0; j < h; j++) w2[k * padded + j] = source[layout.w2 + j * CLASS_COUNT + k];
    }
    new Float32Array(buffer, this.kernels.b2Ptr(), CLASS_COUNT).set(source.subarray(layout.b2, layout.size));
    this.kernels.resetOptimizer();
    this.adamStepNumber = 0;
    this.velocityIsStale = false;
  }

  saveCheckpoint(): void {
    const parameters = this.parameterBytes();
    const moments = this.momentBytes();
    if (this.checkpoint === null) {
      this.checkpoint = {
        parameters: new Uint8Array(parameters.length),
        moments: new Uint8Array(moments.length),
        adamStepNumber: 0,
        velocityIsStale: false,
      };
    }
    const checkpoint = this.checkpoint;
    checkpoint.parameters.set(parameters);
    checkpoint.moments.set(moments);
    checkpoint.adamStepNumber = this.adamStepNumber;
    checkpoint.velocityIsStale = this.velocityIsStale;
  }

  restoreCheckpoint(): void {
    const checkpoint = this.checkpoint;
    if (checkpoint === null) throw new Error('restoreCheckpoint called before saveCheckpoint');
    this.parameterBytes().set(checkpoint.parameters);
    this.momentBytes().set(checkpoint.moments);
    this.adamStepNumber = checkpoint.adamStepNumber;
    this.velocityIsStale = checkpoint.velocityIsStale;
  }

  /** Threads computing each batch; the two-thread backend counts its helper once it runs. */
  get threads(): number {
    return 1;
  }

  /** Nothing to release here; the two-thread backend stops its helper. */
  dispose(): void {}

  private parameterBytes(): Uint8Array {
    const start = this.kernels.w1Ptr();
    return new Uint8Array(this.kernels.memory.buffer, start, this.kernels.parametersEnd() - start);
  }

  private momentBytes(): Uint8Array {
    const start = this.kernels.momentsPtr();
    return new Uint8Array(this.kernels.memory.buffer, start, this.kernels.momentsEnd() - start);
  }

  /** The wasm address of `view`'s first byte, copying its whole buffer in on first sight. */
  protected address(view: Uint8Array): number {
    let base = this.copies.get(view.buffer);
    if (base === undefined) {
      const source = new Uint8Array(view.buffer);
      base = this.kernels.allocateBytes(source.length);
      new Uint8Array(this.kernels.memory.buffer, base, source.length).set(source);
      this.copies.set(view.buffer, base);
    }
    return base + view.byteOffset;
  }
}
