// The two-thread backend against the single-thread WasmBackend on real MNIST rows, with its
// helper in a worker_threads Worker: after many batches the parameters agree up to float
// summation order (each thread sums its half of the samples' layer-2 gradients).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHelper } from '../../../bench/node-gradient-helper';
import { drawTransform, measureInkBox, TRANSFORM_STRIDE } from '../augmentation';
import type { LabeledImages } from '../labeled-images';
import type { OptimizerName } from '../mlp-backend';
import { Random } from '../random';
import { INPUT_SIZE, parameterLayout } from '../shapes';
import { TwoThreadWasmBackend } from './two-thread-backend';
import { WasmBackend } from './wasm-backend';
import { loadRealMnist } from '../../../tests/fixtures/real-mnist';

const build = (file: string) => fileURLToPath(new URL(`./build/${file}`, import.meta.url));

function initialParameters(hiddenSize: number, seed: number): Float32Array {
  const layout = parameterLayout(hiddenSize);
  const random = new Random(seed);
  const params = new Float32Array(layout.size);
  for (let i = 0; i < layout.b1; i++) params[i] = random.nextNormal() * Math.sqrt(2 / INPUT_SIZE);
  for (let i = layout.b1; i < layout.w2; i++) params[i] = 0.01 * random.nextNormal();
  for (let i = layout.w2; i < layout.b2; i++) params[i] = random.nextNormal() * Math.sqrt(2 / hiddenSize);
  for (let i = layout.b2; i < layout.size; i++) params[i] = 0.01 * random.nextNormal();
  return params;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('TwoThreadWasmBackend against the single-thread WasmBackend', () => {
  let set: LabeledImages;
  let single: object;
  let shared: object;
  const started: TwoThreadWasmBackend[] = [];
  const twoThreads = async (hiddenSize: number, optimizer: OptimizerName) => {
    const backend = await TwoThreadWasmBackend.create(shared, hiddenSize, optimizer, startNodeHelper);
    started.push(backend);
    return backend;
  };

  beforeAll(() => {
    set = loadRealMnist('t10k');
    single = new WebAssembly.Module(readFileSync(build('kernels.wasm')));
    shared = new WebAssembly.Module(readFileSync(build('kernels-shared.wasm')));
  });
  afterAll(() => started.forEach((backend) => backend.dispose()));

  it.each<[OptimizerName, number, boolean, number]>([
    ['sgd', 0.9, false, 64],
    ['sgd', 0.9, true, 33],
    ['adam', 0, false, 64],
  ])('ends %s (momentum %s, augmented %s, batch %s) at the same parameters after 40 batches', async (optimizer, momentum, augmented, batch) => {
    const hiddenSize = 128;
    const params = initialParameters(hiddenSize, 3);
    const order = Uint32Array.from({ length: 40 * batch }, (_, j) => (j * 7919) % set.count);
    let transforms: Float32Array | null = null;
    if (augmented) {
      const boxes = new Uint8Array(set.count * 4);
      for (const row of order) measureInkBox(set.images, row * INPUT_SIZE, boxes, row);
      transforms = new Float32Array(order.length * TRANSFORM_STRIDE);
      const random = new Random(5);
      order.forEach((row, j) => drawTransform(random, boxes, row, transforms!, j * TRANSFORM_STRIDE));
    }
    const backends = [new WasmBackend(single, hiddenSize, optimizer), await twoThreads(hiddenSize, optimizer)];
    const losses = backends.map(() => [] as number[]);
    const hits = backends.map(() => 0);
    const after = backends.map(() => new Float32Array(params.length));
    const stats = { lossSum: 0, correct: 0 };
    const rate = optimizer === 'adam' ? 0.002 : 0.05;
    backends.forEach((backend, b) => {
      backend.writeParameters(params);
      for (let start = 0; start < order.length; start += batch) {
        const batchTransforms = transforms?.subarray(start * TRANSFORM_STRIDE, (start + batch) * TRANSFORM_STRIDE) ?? null;
        backend.trainBatch(set, order, start, batch, rate, momentum, stats, batchTransforms);
        losses[b].push(stats.lossSum);
        hits[b] += stats.correct;
      }
      backend.readParameters(after[b]);
    });
    expect(maxDifference(after[0], after[1])).toBeLessThan(2e-5);
    expect(maxDifference(after[0], params)).toBeGreaterThan(1e-2);
    losses[0].forEach((loss, k) => expect(loss).toBeCloseTo(losses[1][k], 2));
    expect(Math.abs(hits[0] - hits[1])).toBeLessThanOrEqual(2);
  });

  it('trains a one-sample batch and a weighted batch like the single-thread backend', async () => {
    const params = initialParameters(16, 8);
    const order = Uint32Array.from({ length: 20 }, (_, j) => j * 13);
    const backends = [new WasmBackend(single, 16, 'sgd'), await twoThreads(16, 'sgd')];
    const after = backends.map(() => new Float32Array(params.length));
    const stats = { lossSum: 0, correct: 0 };
    backends.forEach((backend, b) => {
      backend.writeParameters(params);
      backend.trainBatch(set, order, 0, 1, 0.1, 0.9, stats);
      backend.trainBatch(set, order, 1, 19, 0.1, 0.9, stats, null, 0.25);
      backend.readParameters(after[b]);
    });
    expect(maxDifference(after[0], after[1])).toBeLessThan(1e-6);
  });

  it('trains on one thread until the helper has started, then on two, with the same result', async () => {
    const params = initialParameters(32, 10);
    const order = Uint32Array.from({ length: 20 * 32 }, (_, j) => (j * 97) % set.count);
    const reference = new WasmBackend(single, 32, 'sgd');
    const backend = TwoThreadWasmBackend.start(shared, 32, 'sgd', startNodeHelper);
    started.push(backend);
    const stats = { lossSum: 0, correct: 0 };
    for (const b of [reference, backend]) {
      b.writeParameters(params);
      b.trainBatch(set, order, 0, 32, 0.05, 0.9, stats);
    }
    // The helper takes far longer to start (tsx loads it) than that first batch.
    while (!backend.sharing) await new Promise((resolve) => setTimeout(resolve, 10));
    const after = [reference, backend].map((b) => {
      for (let start = 32; start < order.length; start += 32) b.trainBatch(set, order, start, 32, 0.05, 0.9, stats);
      const out = new Float32Array(params.length);
      b.readParameters(out);
      return out;
    });
    expect(maxDifference(after[0], after[1])).toBeLessThan(2e-5);
  });

  it('restores a checkpoint and repeats the same steps, and reads back written parameters', async () => {
    const params = initialParameters(20, 9);
    const backend = await twoThreads(20, 'sgd');
    backend.writeParameters(params);
    const read = new Float32Array(params.length);
    backend.readParameters(read);
    expect(read).toEqual(params);
    const order = Uint32Array.from({ length: 320 }, (_, j) => (j * 31) % set.count);
    const stats = { lossSum: 0, correct: 0 };
    const run = () => {
      for (let start = 0; start < order.length; start += 32) backend.trainBatch(set, order, start, 32, 0.05, 0.9, stats);
      const out = new Float32Array(params.length);
      backend.readParameters(out);
      return out;
    };
    run();
    backend.saveCheckpoint();
    const first = run();
    backend.restoreCheckpoint();
    expect(run()).toEqual(first);
  });
});
