// The Trainer with augmentation and the user's own samples, on real MNIST and the wasm
// kernels (fast enough for whole epochs). Needs the built kernels (npm run build:wasm).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sliceLabeledImages, type LabeledImages } from './labeled-images';
import type { MlpBackend } from './mlp-backend';
import { INPUT_SIZE } from './shapes';
import { Trainer, type BackendFactory, type TrainerConfig } from './trainer';
import { TypeScriptBackend } from './typescript-backend';
import { WasmBackend } from './wasm/wasm-backend';
import { loadRealMnist } from '../../tests/fixtures/real-mnist';

const kernels = new WebAssembly.Module(readFileSync(fileURLToPath(new URL('./wasm/build/kernels.wasm', import.meta.url))));
const createWasm: BackendFactory = (hiddenSize, optimizer) => new WasmBackend(kernels, hiddenSize, optimizer);
const createTypeScript: BackendFactory = (hiddenSize, optimizer) => new TypeScriptBackend(hiddenSize, optimizer);

/** The app's defaults (src/shared/hyperparameters.ts), which the engine may not import. */
const DEFAULTS: TrainerConfig = {
  hiddenSize: 128,
  optimizer: 'sgd',
  init: 'he',
  seed: 1,
  learningRate: 0.05,
  momentum: 0.9,
  batchSize: 64,
  createBackend: createWasm,
};

const mnist = loadRealMnist('train');
const test = loadRealMnist('t10k');

function parameters(trainer: Trainer): Float32Array {
  const out = new Float32Array(trainer.parameterCount);
  trainer.readParameters(out);
  return out;
}

function accuracy(trainer: Trainer, set: LabeledImages, start = 0, count = set.count): number {
  return trainer.evaluate(set, start, count).correct / count;
}

/** Test images `rows`, each relabelled to the next digit: things MNIST alone never teaches. */
function mislabelled(rows: readonly number[]): LabeledImages {
  const images = new Uint8Array(rows.length * INPUT_SIZE);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    images.set(test.images.subarray(row * INPUT_SIZE, (row + 1) * INPUT_SIZE), i * INPUT_SIZE);
    labels[i] = (test.labels[row] + 1) % 10;
  });
  return { images, labels, count: rows.length };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('augmentation in the Trainer', () => {
  it('still learns: one augmented epoch reaches over 95% on the test set', () => {
    const trainer = new Trainer(sliceLabeledImages(mnist, 0, 54_000), { ...DEFAULTS, augment: true });
    while (trainer.epochsCompleted < 1) trainer.train(20_000);
    expect(accuracy(trainer, test)).toBeGreaterThan(0.95);
  });

  it('switches live and leaves augment-off runs as they were', () => {
    const train = sliceLabeledImages(mnist, 0, 4_000);
    const config = { ...DEFAULTS, hiddenSize: 32 };
    const plain = new Trainer(train, config);
    const switchedOff = new Trainer(train, { ...config, augment: true });
    switchedOff.setAugment(false);
    const switchedOn = new Trainer(train, config);
    switchedOn.setAugment(true);
    for (const trainer of [plain, switchedOff, switchedOn]) trainer.train(2_000);
    expect(parameters(switchedOff)).toEqual(parameters(plain));
    expect(maxDifference(parameters(switchedOn), parameters(plain))).toBeGreaterThan(1e-3);
  });
});

describe('user samples in the training stream', () => {
  it('learns mislabelled user samples while MNIST accuracy stays sane, and stops mixing them when removed', () => {
    const train = sliceLabeledImages(mnist, 0, 20_000);
    let userBatches = 0;
    const counting: BackendFactory = (hiddenSize, optimizer) => {
      const backend: MlpBackend = createWasm(hiddenSize, optimizer);
      const trainBatch = backend.trainBatch.bind(backend);
      backend.trainBatch = (set, ...rest) => {
        if (set !== train) userBatches++;
        trainBatch(set, ...rest);
      };
      return backend;
    };
    const trainer = new Trainer(train, { ...DEFAULTS, createBackend: counting });
    const user = mislabelled([0, 1, 2, 3, 4]);
    trainer.setUserSamples(user);
    expect(trainer.userSampleCount).toBe(5);
    // The caller may reuse its buffers: the trainer kept a copy.
    user.labels.fill(0);

    const summary = trainer.train(64 * 200);
    // u = 8 after every ceil(32 · 8 / 64) = 4 MNIST batches; they are not MNIST progress.
    expect(userBatches).toBe(50);
    expect(summary.samples).toBe(64 * 200);
    expect(trainer.samplesSeen).toBe(64 * 200);
    // Measured (seed 1): 2 learned after 1 epoch, 3 after 3, against ~2,000 clean examples
    // of each true class; a user's correctly labelled drawings are far easier.
    while (trainer.epochsCompleted < 3) trainer.train(20_000);
    expect(trainer.countLearnedUserSamples()).toBeGreaterThanOrEqual(3);
    expect(accuracy(trainer, test, 100, 2_000)).toBeGreaterThan(0.9);

    trainer.setUserSamples({ images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 });
    expect(trainer.userSampleCount).toBe(0);
    expect(trainer.countLearnedUserSamples()).toBe(0);
    const before = userBatches;
    trainer.train(64 * 40);
    expect(userBatches).toBe(before);
  });

  it('trains the same on both backends, including samples replaced in place', () => {
    const train = sliceLabeledImages(mnist, 0, 3_000);
    const config = { ...DEFAULTS, hiddenSize: 16, augment: true };
    const trainers = [createTypeScript, createWasm].map((createBackend) => new Trainer(train, { ...config, createBackend }));
    for (const trainer of trainers) {
      trainer.setUserSamples(mislabelled([10, 11, 12, 13, 14]));
      trainer.train(64 * 40);
      // Fewer samples fit the same buffers: the wasm copy must be refreshed in place.
      trainer.setUserSamples(mislabelled([20, 21, 22]));
      trainer.train(64 * 40);
    }
    const [reference, wasm] = trainers.map(parameters);
    expect(maxDifference(wasm, reference)).toBeLessThan(1e-4);
    expect(trainers[1].countLearnedUserSamples()).toBe(trainers[0].countLearnedUserSamples());
  });
});
