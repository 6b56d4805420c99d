// Checks the WebAssembly kernels against a deliberately plain float64 implementation of the
// same network, on real MNIST images: forward, loss, one batch's gradient, and weights after
// many SGD-momentum and Adam steps. Needs the built kernels (npm run build:wasm).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawTransform, measureInkBox, TRANSFORM_STRIDE, writeIdentityTransform } from '../augmentation';
import type { LabeledImages } from '../labeled-images';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from '../optimizer';
import type { OptimizerName } from '../mlp-backend';
import { Random } from '../random';
import { CLASS_COUNT, INPUT_SIZE, parameterLayout, type ParameterLayout } from '../shapes';
import { TypeScriptBackend } from '../typescript-backend';
import { WasmBackend } from './wasm-backend';
import { loadRealMnist } from '../../../tests/fixtures/real-mnist';

const WASM_PATH = fileURLToPath(new URL('./build/kernels.wasm', import.meta.url));

function loadKernels(): WebAssembly.Module {
  if (!existsSync(WASM_PATH)) {
    throw new Error(`${WASM_PATH} is missing: build it first with "npm run build:wasm"`);
  }
  return new WebAssembly.Module(readFileSync(WASM_PATH));
}

/** He-initialised parameters in the shared flat layout, with small non-zero biases. */
function initialParameters(hiddenSize: number, seed: number): Float32Array {
  const layout = parameterLayout(hiddenSize);
  const random = new Random(seed);
  const params = new Float32Array(layout.size);
  for (let i = layout.w1; i < layout.b1; i++) params[i] = random.nextNormal() * Math.sqrt(2 / INPUT_SIZE);
  for (let i = layout.b1; i < layout.w2; i++) params[i] = 0.01 * random.nextNormal();
  for (let i = layout.w2; i < layout.b2; i++) params[i] = random.nextNormal() * Math.sqrt(2 / hiddenSize);
  for (let i = layout.b2; i < layout.size; i++) params[i] = 0.01 * random.nextNormal();
  return params;
}

/** The textbook network in float64: dense loops, no sparsity, no padding, no fusion. */
class ReferenceMlp {
  readonly layout: ParameterLayout;
  readonly params: Float64Array;
  private readonly moment1: Float64Array;
  private readonly moment2: Float64Array;
  private adamStep = 0;

  constructor(
    readonly hiddenSize: number,
    initial: Float32Array,
  ) {
    this.layout = parameterLayout(hiddenSize);
    this.params = Float64Array.from(initial);
    this.moment1 = new Float64Array(initial.length);
    this.moment2 = new Float64Array(initial.length);
  }

  /** Hidden activations and logits for one image given as 784 intensities. */
  forward(x: ArrayLike<number>): { hidden: Float64Array; logits: Float64Array } {
    const { params: p, hiddenSize: h, layout } = this;
    const hidden = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let sum = p[layout.b1 + j];
      for (let i = 0; i < INPUT_SIZE; i++) sum += x[i] * p[layout.w1 + i * h + j];
      hidden[j] = Math.max(0, sum);
    }
    const logits = new Float64Array(CLASS_COUNT);
    for (let k = 0; k < CLASS_COUNT; k++) {
      let sum = p[layout.b2 + k];
      for (let j = 0; j < h; j++) sum += hidden[j] * p[layout.w2 + j * CLASS_COUNT + k];
      logits[k] = sum;
    }
    return { hidden, logits };
  }

  /** Mean gradient, summed loss and hits over the listed rows. */
  gradient(set: LabeledImages, rows: ArrayLike<number>): { grad: Float64Array; lossSum: number; correct: number } {
    const { params: p, hiddenSize: h, layout } = this;
    const grad = new Float64Array(p.length);
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < rows.length; s++) {
      const x = pixels(set, rows[s]);
      const label = set.labels[rows[s]];
      const { hidden, logits } = this.forward(x);
      const probs = softmax(logits);
      lossSum -= Math.log(probs[label]);
      if (argmax(logits) === label) correct++;
      const dLogits = probs.map((q, k) => (q - (k === label ? 1 : 0)) / rows.length);
      for (let k = 0; k < CLASS_COUNT; k++) grad[layout.b2 + k] += dLogits[k];
      for (let j = 0; j < h; j++) {
        let dHidden = 0;
        for (let k = 0; k < CLASS_COUNT; k++) {
          grad[layout.w2 + j * CLASS_COUNT + k] += hidden[j] * dLogits[k];
          dHidden += p[layout.w2 + j * CLASS_COUNT + k] * dLogits[k];
        }
        if (hidden[j] <= 0) continue;
        grad[layout.b1 + j] += dHidden;
        for (let i = 0; i < INPUT_SIZE; i++) grad[layout.w1 + i * h + j] += x[i] * dHidden;
      }
    }
    return { grad, lossSum, correct };
  }

  /** v = μv + g; w -= ηv. */
  sgdStep(set: LabeledImages, rows: ArrayLike<number>, learningRate: number, momentum: number): void {
    const { grad } = this.gradient(set, rows);
    for (let i = 0; i < grad.length; i++) {
      this.moment1[i] = momentum * this.moment1[i] + grad[i];
      this.params[i] -= learningRate * this.moment1[i];
    }
  }

  resetVelocity(): void {
    this.moment1.fill(0);
  }

  adamStepOn(set: LabeledImages, rows: ArrayLike<number>, learningRate: number): void {
    const { grad } = this.gradient(set, rows);
    this.adamStep++;
    const c1 = 1 - ADAM_BETA1 ** this.adamStep;
    const c2 = 1 - ADAM_BETA2 ** this.adamStep;
    for (let i = 0; i < grad.length; i++) {
      this.moment1[i] = ADAM_BETA1 * this.moment1[i] + (1 - ADAM_BETA1) * grad[i];
      this.moment2[i] = ADAM_BETA2 * this.moment2[i] + (1 - ADAM_BETA2) * grad[i] ** 2;
      this.params[i] -= (learningRate * this.moment1[i]) / c1 / (Math.sqrt(this.moment2[i] / c2) + ADAM_EPSILON);
    }
  }
}

function pixels(set: LabeledImages, row: number): Float64Array {
  return Float64Array.from(set.images.subarray(row * INPUT_SIZE, (row + 1) * INPUT_SIZE), (b) => b / 255);
}

function softmax(logits: Float64Array): Float64Array {
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/** max |actual − expected| over [from, to), relative to max |expected| there. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, from = 0, to = expected.length): number {
  let worst = 0;
  let scale = 0;
  for (let i = from; i < to; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return worst / scale;
}

/** The change each tensor went through agrees with the reference's, tensor by tensor. */
function expectSameUpdate(hiddenSize: number, before: Float32Array, after: Float32Array, reference: Float64Array): void {
  const layout = parameterLayout(hiddenSize);
  const bounds = [layout.w1, layout.b1, layout.w2, layout.b2, layout.size];
  const delta = after.map((w, i) => w - before[i]);
  const referenceDelta = reference.map((w, i) => w - before[i]);
  for (let t = 0; t < 4; t++) {
    expect(relativeError(delta, referenceDelta, bounds[t], bounds[t + 1])).toBeLessThan(1e-4);
  }
}

function sequentialRows(start: number, count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, j) => start + j);
}

describe('WasmBackend against a float64 reference', () => {
  let kernels: WebAssembly.Module;
  let set: LabeledImages;

  beforeAll(() => {
    kernels = loadKernels();
    set = loadRealMnist('t10k');
  });

  it('evaluates loss and accuracy like the reference', () => {
    const hiddenSize = 32;
    const params = initialParameters(hiddenSize, 7);
    const backend = new WasmBackend(kernels, hiddenSize, 'sgd');
    backend.writeParameters(params);
    const reference = new ReferenceMlp(hiddenSize, params);
    const stats = { lossSum: 0, correct: 0 };
    backend.evaluate(set, 100, 200, stats);
    const expected = reference.gradient(set, sequentialRows(100, 200));
    expect(stats.lossSum).toBeCloseTo(expected.lossSum, 3);
    expect(stats.correct).toBe(expected.correct);
  });

  it('predicts probabilities from float intensities', () => {
    const hiddenSize = 13;
    const params = initialParameters(hiddenSize, 3);
    const backend = new WasmBackend(kernels, hiddenSize, 'sgd');
    backend.writeParameters(params);
    const input = Float32Array.from(pixels(set, 5), (x, i) => (i % 97 === 0 ? 0.5 : x));
    const out = new Float32Array(CLASS_COUNT);
    backend.predict(input, out);
    const expected = softmax(new ReferenceMlp(hiddenSize, params).forward(input).logits);
    expect(relativeError(out, expected)).toBeLessThan(1e-5);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('reads back the parameters it was given, for widths that need padding', () => {
    for (const hiddenSize of [1, 10, 13, 64]) {
      const params = initialParameters(hiddenSize, hiddenSize);
      const backend = new WasmBackend(kernels, hiddenSize, 'adam');
      backend.writeParameters(params);
      const out = new Float32Array(params.length);
      backend.readParameters(out);
      expect(out).toEqual(params);
    }
  });

  it('computes one batch gradient, loss and hits like the reference', () => {
    const hiddenSize = 24;
    const params = initialParameters(hiddenSize, 11);
    const backend = new WasmBackend(kernels, hiddenSize, 'sgd');
    backend.writeParameters(params);
    const rows = sequentialRows(0, 64);
    const stats = { lossSum: 0, correct: 0 };
    // Plain SGD with rate 1 leaves exactly −gradient in the parameters' change.
    backend.trainBatch(set, rows, 0, rows.length, 1, 0, stats);
    const after = new Float32Array(params.length);
    backend.readParameters(after);
    const expected = new ReferenceMlp(hiddenSize, params).gradient(set, rows);
    expect(stats.lossSum).toBeCloseTo(expected.lossSum, 3);
    expect(stats.correct).toBe(expected.correct);
    expectSameUpdate(hiddenSize, params, after, Float64Array.from(params, (w, i) => w - expected.grad[i]));
  });

  it('follows the reference through 25 SGD steps with momentum, batch 64', () => {
    const hiddenSize = 30;
    const params = initialParameters(hiddenSize, 5);
    const backend = new WasmBackend(kernels, hiddenSize, 'sgd');
    backend.writeParameters(params);
    const reference = new ReferenceMlp(hiddenSize, params);
    const order = Uint32Array.from({ length: 1600 }, (_, j) => (j * 7919) % set.count);
    const stats = { lossSum: 0, correct: 0 };
    const losses: number[] = [];
    for (let start = 0; start < order.length; start += 64) {
      backend.trainBatch(set, order, start, 64, 0.05, 0.9, stats);
      reference.sgdStep(set, order.subarray(start, start + 64), 0.05, 0.9);
      losses.push(stats.lossSum / 64);
    }
    const after = new Float32Array(params.length);
    backend.readParameters(after);
    expectSameUpdate(hiddenSize, params, after, reference.params);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 2);
  });

  it('follows the reference through 15 Adam steps', () => {
    const hiddenSize = 17;
    const params = initialParameters(hiddenSize, 9);
    const backend = new WasmBackend(kernels, hiddenSize, 'adam');
    backend.writeParameters(params);
    const reference = new ReferenceMlp(hiddenSize, params);
    const stats = { lossSum: 0, correct: 0 };
    const order = sequentialRows(2000, 15 * 32);
    for (let start = 0; start < order.length; start += 32) {
      backend.trainBatch(set, order, start, 32, 0.002, 0, stats);
      reference.adamStepOn(set, order.subarray(start, start + 32), 0.002);
    }
    const after = new Float32Array(params.length);
    backend.readParameters(after);
    expectSameUpdate(hiddenSize, params, after, reference.params);
  });

  it('restarts the velocity after momentum-0 steps, like the reference engine', () => {
    const hiddenSize = 8;
    const params = initialParameters(hiddenSize, 1);
    const backend = new WasmBackend(kernels, hiddenSize, 'sgd');
    backend.writeParameters(params);
    const reference = new ReferenceMlp(hiddenSize, params);
    const stats = { lossSum: 0, correct: 0 };
    const order = sequentialRows(300, 4 * 16);
    const momenta = [0.9, 0, 0.5, 0.5];
    momenta.forEach((momentum, b) => {
      if (b === 2) reference.resetVelocity();
      backend.trainBatch(set, order, b * 16, 16, 0.1, momentum, stats);
      reference.sgdStep(set, order.subarray(b * 16, b * 16 + 16), 0.1, momentum);
    });
    const after = new Float32Array(params.length);
    backend.readParameters(after);
    expectSameUpdate(hiddenSize, params, after, reference.params);
  });

  it('restores a checkpoint and then repeats the same steps bit for bit', () => {
    const hiddenSize = 16;
    const backend = new WasmBackend(kernels, hiddenSize, 'adam');
    backend.writeParameters(initialParameters(hiddenSize, 2));
    const order = sequentialRows(0, 256);
    const stats = { lossSum: 0, correct: 0 };
    backend.trainBatch(set, order, 0, 64, 0.01, 0, stats);
    backend.saveCheckpoint();
    const run = (): Float32Array => {
      backend.trainBatch(set, order, 64, 64, 0.01, 0, stats);
      backend.trainBatch(set, order, 128, 64, 0.01, 0, stats);
      const out = new Float32Array(parameterLayout(hiddenSize).size);
      backend.readParameters(out);
      return out;
    };
    const first = run();
    backend.restoreCheckpoint();
    expect(run()).toEqual(first);
  });

  it.each<[OptimizerName, number]>([
    ['sgd', 0.9],
    ['adam', 0],
  ])('stays with the TypeScript backend through 60 %s batches', (optimizer, momentum) => {
    const hiddenSize = 20;
    const params = initialParameters(hiddenSize, 4);
    const backends = [new WasmBackend(kernels, hiddenSize, optimizer), new TypeScriptBackend(hiddenSize, optimizer)];
    const order = Uint32Array.from({ length: 60 * 32 }, (_, j) => (j * 4099) % set.count);
    const stats = backends.map(() => ({ lossSum: 0, correct: 0 }));
    const after = backends.map(() => new Float32Array(params.length));
    backends.forEach((backend, b) => {
      backend.writeParameters(params);
      for (let start = 0; start < order.length; start += 32) {
        backend.trainBatch(set, order, start, 32, optimizer === 'adam' ? 0.002 : 0.05, momentum, stats[b]);
      }
      backend.readParameters(after[b]);
    });
    expectSameUpdate(hiddenSize, params, after[0], Float64Array.from(after[1]));
    expect(stats[0].lossSum).toBeCloseTo(stats[1].lossSum, 3);
  });

  it.each<[OptimizerName, number]>([
    ['sgd', 0.9],
    ['adam', 0],
  ])('warps augmented samples exactly like the TypeScript backend through 40 %s batches', (optimizer, momentum) => {
    const hiddenSize = 24;
    const batch = 32;
    const params = initialParameters(hiddenSize, 6);
    const order = Uint32Array.from({ length: 40 * batch }, (_, j) => (j * 7919) % set.count);
    const boxes = new Uint8Array(set.count * 4);
    for (const row of order) measureInkBox(set.images, row * INPUT_SIZE, boxes, row);
    // Every fourth sample keeps the identity, which both read without warping.
    const transforms = new Float32Array(order.length * TRANSFORM_STRIDE);
    const random = new Random(11);
    order.forEach((row, j) => {
      if (j % 4 === 3) writeIdentityTransform(transforms, j * TRANSFORM_STRIDE);
      else drawTransform(random, boxes, row, transforms, j * TRANSFORM_STRIDE);
    });
    const backends = [new WasmBackend(kernels, hiddenSize, optimizer), new TypeScriptBackend(hiddenSize, optimizer)];
    const losses = backends.map(() => [] as number[]);
    const after = backends.map(() => new Float32Array(params.length));
    const stats = { lossSum: 0, correct: 0 };
    backends.forEach((backend, b) => {
      backend.writeParameters(params);
      for (let start = 0; start < order.length; start += batch) {
        const batchTransforms = transforms.subarray(start * TRANSFORM_STRIDE, (start + batch) * TRANSFORM_STRIDE);
        backend.trainBatch(set, order, start, batch, optimizer === 'adam' ? 0.002 : 0.05, momentum, stats, batchTransforms);
        losses[b].push(stats.lossSum);
      }
      backend.readParameters(after[b]);
    });
    expectSameUpdate(hiddenSize, params, after[0], Float64Array.from(after[1]));
    losses[0].forEach((loss, k) => expect(loss).toBeCloseTo(losses[1][k], 3));
    // The warp changed what was learned: the same batches unaugmented end elsewhere.
    const plain = new WasmBackend(kernels, hiddenSize, optimizer);
    plain.writeParameters(params);
    for (let start = 0; start < order.length; start += batch) {
      plain.trainBatch(set, order, start, batch, optimizer === 'adam' ? 0.002 : 0.05, momentum, stats);
    }
    const plainAfter = new Float32Array(params.length);
    plain.readParameters(plainAfter);
    expect(relativeError(plainAfter, after[0])).toBeGreaterThan(1e-2);
  });

  it('sees a refilled buffer after refresh', () => {
    const backend = new WasmBackend(kernels, 8, 'sgd');
    backend.writeParameters(initialParameters(8, 3));
    const own = { images: set.images.slice(0, 4 * INPUT_SIZE), labels: set.labels.slice(0, 4), count: 4 };
    const stats = { lossSum: 0, correct: 0 };
    backend.evaluate(own, 0, 4, stats);
    const before = stats.lossSum;
    own.images.set(set.images.subarray(100 * INPUT_SIZE, 104 * INPUT_SIZE));
    own.labels.set(set.labels.subarray(100, 104));
    backend.evaluate(own, 0, 4, stats);
    expect(stats.lossSum).toBe(before);
    backend.refresh(own);
    backend.evaluate(own, 0, 4, stats);
    const expected = { lossSum: 0, correct: 0 };
    backend.evaluate(set, 100, 4, expected);
    expect(stats).toEqual(expected);
    expect(stats.lossSum).not.toBe(before);
  });

  it('refuses rows outside the set and batches over its limit', () => {
    const backend = new WasmBackend(kernels, 8, 'sgd', 16);
    const small = { images: set.images.subarray(0, 10 * INPUT_SIZE), labels: set.labels.subarray(0, 10), count: 10 };
    const stats = { lossSum: 0, correct: 0 };
    expect(() => backend.trainBatch(small, Uint32Array.of(3, 10), 0, 2, 0.1, 0, stats)).toThrow(RangeError);
    expect(() => backend.trainBatch(set, sequentialRows(0, 17), 0, 17, 0.1, 0, stats)).toThrow(RangeError);
    expect(() => backend.evaluate(small, 5, 6, stats)).toThrow(RangeError);
  });
});
