// The WebAssembly SIMD training backend: typed glue around assembly/kernels.ts. Pure: the
// caller compiles the module (fetch, fs, or a bundler URL) and passes it in, so this file
// needs no DOM, worker or Node API, only the WebAssembly global every target has.

const INPUT_SIZE = 784;
const CLASS_COUNT = 10;
const DEFAULT_MAX_BATCH = 1024;

/** Parameters in the reference engine's layout: W1 input-major, W2 hidden-major. */
export interface MlpParameters {
  /** 784 × hidden, w1[i * hidden + j] joins pixel i to unit j. */
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  /** hidden × 10, w2[j * 10 + k] joins unit j to class k. */
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

export interface BatchResult {
  /** Sum (not mean) of the samples' cross-entropy losses. */
  readonly lossSum: number;
  /** Samples whose argmax matched the label (before the update, when training). */
  readonly correct: number;
}

export interface AdamSettings {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export const DEFAULT_ADAM: AdamSettings = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  configure(hiddenSize: number, batchLimit: number): void;
  reserveDataset(count: number): number;
  paddedHidden(): number;
  w1Ptr(): number;
  b1Ptr(): number;
  w2Ptr(): number;
  b2Ptr(): number;
  indicesPtr(): number;
  labelsPtr(): number;
  inputPtr(): number;
  outputPtr(): number;
  lastCorrect(): number;
  resetOptimizer(): void;
  trainBatchSgd(count: number, learningRate: number, momentum: number): number;
  trainBatchAdam(count: number, learningRate: number, beta1: number, beta2: number, eps: number, step: number): number;
  evaluate(start: number, count: number): number;
  predict(): void;
}

const KERNEL_FUNCTIONS = [
  'configure',
  'reserveDataset',
  'paddedHidden',
  'w1Ptr',
  'b1Ptr',
  'w2Ptr',
  'b2Ptr',
  'indicesPtr',
  'labelsPtr',
  'inputPtr',
  'outputPtr',
  'lastCorrect',
  'resetOptimizer',
  'trainBatchSgd',
  'trainBatchAdam',
  'evaluate',
  'predict',
] as const satisfies readonly (keyof KernelExports)[];

// The engine compiles against ES2022 only, which does not declare WebAssembly; this is the
// one constructor we use, reached through globalThis.
interface WasmGlobal {
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

function instantiate(module: object): KernelExports {
  const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmGlobal };
  const exports = new WebAssembly.Instance(module, {}).exports;
  const missing = KERNEL_FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (!(exports.memory instanceof Object) || missing.length > 0) {
    throw new Error(`kernels.wasm is stale or wrong: missing ${['memory', ...missing].join(', ')}`);
  }
  return exports as unknown as KernelExports;
}

function checkLength(name: string, array: { readonly length: number }, expected: number): void {
  if (array.length !== expected) throw new RangeError(`${name} has ${array.length} values, expected ${expected}`);
}

export class WasmBackend {
  readonly hiddenSize: number;
  readonly maxBatchSize: number;
  private readonly kernels: KernelExports;
  /** Hidden width inside wasm: rounded up to a multiple of 4 for SIMD (extra units are 0). */
  private readonly padded: number;
  private sampleCount = 0;
  private adamStep = 0;

  /**
   * @param module the compiled kernels.wasm (a `WebAssembly.Module`)
   * @param parameters initial weights, copied in
   */
  constructor(module: object, hiddenSize: number, parameters: MlpParameters, maxBatchSize = DEFAULT_MAX_BATCH) {
    if (!Number.isInteger(hiddenSize) || hiddenSize < 1) throw new RangeError(`bad hidden size ${hiddenSize}`);
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new RangeError(`bad batch limit ${maxBatchSize}`);
    this.hiddenSize = hiddenSize;
    this.maxBatchSize = maxBatchSize;
    this.kernels = instantiate(module);
    this.kernels.configure(hiddenSize, maxBatchSize);
    this.padded = this.kernels.paddedHidden();
    this.writeParameters(parameters);
  }

  /** Copies `images` (count × 784 bytes) and `labels` into wasm memory, replacing any previous set. */
  loadDataset(images: Uint8Array, labels: Uint8Array): void {
    checkLength('images', images, labels.length * INPUT_SIZE);
    const imagesPtr = this.kernels.reserveDataset(labels.length);
    const bytes = new Uint8Array(this.kernels.memory.buffer);
    bytes.set(images, imagesPtr);
    bytes.set(labels, this.kernels.labelsPtr());
    this.sampleCount = labels.length;
  }

  /** One SGD-with-momentum step (v = μv + g; w -= ηv) on the mean gradient of the listed rows. */
  trainBatch(indices: ArrayLike<number>, learningRate: number, momentum: number): BatchResult {
    const count = this.writeIndices(indices);
    const lossSum = this.kernels.trainBatchSgd(count, learningRate, momentum);
    return { lossSum, correct: this.kernels.lastCorrect() };
  }

  /** One Adam step on the mean gradient of the listed rows; the step count t is kept here. */
  trainBatchAdam(indices: ArrayLike<number>, learningRate: number, settings: AdamSettings = DEFAULT_ADAM): BatchResult {
    const count = this.writeIndices(indices);
    this.adamStep += 1;
    const { beta1, beta2, epsilon } = settings;
    const lossSum = this.kernels.trainBatchAdam(count, learningRate, beta1, beta2, epsilon, this.adamStep);
    return { lossSum, correct: this.kernels.lastCorrect() };
  }

  /** Loss and accuracy over dataset rows start..start+count-1, without training. */
  evaluate(start: number, count: number): BatchResult {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.sampleCount) {
      throw new RangeError(`rows ${start}..${start + count - 1} outside the ${this.sampleCount} loaded`);
    }
    const lossSum = this.kernels.evaluate(start, count);
    return { lossSum, correct: this.kernels.lastCorrect() };
  }

  /** Ten class probabilities for 784 intensities in 0..1, row-major. */
  predict(pixels: Float32Array): Float32Array {
    checkLength('pixels', pixels, INPUT_SIZE);
    const buffer = this.kernels.memory.buffer;
    new Float32Array(buffer, this.kernels.inputPtr(), INPUT_SIZE).set(pixels);
    this.kernels.predict();
    return new Float32Array(buffer, this.kernels.outputPtr(), CLASS_COUNT).slice();
  }

  /** A copy of the parameters in the reference layout. */
  readParameters(): MlpParameters {
    const { hiddenSize: h, padded } = this;
    const buffer = this.kernels.memory.buffer;
    const w1In = new Float32Array(buffer, this.kernels.w1Ptr(), INPUT_SIZE * padded);
    const w2In = new Float32Array(buffer, this.kernels.w2Ptr(), CLASS_COUNT * padded);
    const w1 = new Float32Array(INPUT_SIZE * h);
    for (let i = 0; i < INPUT_SIZE; i++) w1.set(w1In.subarray(i * padded, i * padded + h), i * h);
    const w2 = new Float32Array(h * CLASS_COUNT);
    for (let k = 0; k < CLASS_COUNT; k++) {
      for (let j = 0; j < h; j++) w2[j * CLASS_COUNT + k] = w2In[k * padded + j];
    }
    return {
      w1,
      b1: new Float32Array(buffer, this.kernels.b1Ptr(), h).slice(),
      w2,
      b2: new Float32Array(buffer, this.kernels.b2Ptr(), CLASS_COUNT).slice(),
    };
  }

  /** Replaces the parameters and zeroes the optimizer state (momentum, Adam moments and t). */
  writeParameters(parameters: MlpParameters): void {
    const { hiddenSize: h, padded } = this;
    checkLength('w1', parameters.w1, INPUT_SIZE * h);
    checkLength('b1', parameters.b1, h);
    checkLength('w2', parameters.w2, h * CLASS_COUNT);
    checkLength('b2', parameters.b2, CLASS_COUNT);
    const buffer = this.kernels.memory.buffer;
    const w1In = new Float32Array(buffer, this.kernels.w1Ptr(), INPUT_SIZE * padded);
    const w2In = new Float32Array(buffer, this.kernels.w2Ptr(), CLASS_COUNT * padded);
    for (let i = 0; i < INPUT_SIZE; i++) w1In.set(parameters.w1.subarray(i * h, (i + 1) * h), i * padded);
    for (let k = 0; k < CLASS_COUNT; k++) {
      for (let j = 0; j < h; j++) w2In[k * padded + j] = parameters.w2[j * CLASS_COUNT + k];
    }
    new Float32Array(buffer, this.kernels.b1Ptr(), h).set(parameters.b1);
    new Float32Array(buffer, this.kernels.b2Ptr(), CLASS_COUNT).set(parameters.b2);
    this.resetOptimizer();
  }

  resetOptimizer(): void {
    this.kernels.resetOptimizer();
    this.adamStep = 0;
  }

  private writeIndices(indices: ArrayLike<number>): number {
    const count = indices.length;
    if (count < 1 || count > this.maxBatchSize) throw new RangeError(`batch of ${count}, limit ${this.maxBatchSize}`);
    const target = new Int32Array(this.kernels.memory.buffer, this.kernels.indicesPtr(), count);
    for (let s = 0; s < count; s++) {
      const row = indices[s];
      if (!Number.isInteger(row) || row < 0 || row >= this.sampleCount) {
        throw new RangeError(`row ${row} outside the ${this.sampleCount} loaded`);
      }
      target[s] = row;
    }
    return count;
  }
}
