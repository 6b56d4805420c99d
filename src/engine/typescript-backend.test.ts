import { describe, expect, it } from 'vitest';
import { initializeParameters } from './initialization';
import type { LabeledImages } from './labeled-images';
import type { BatchStats } from './mlp-backend';
import { Random } from './random';
import { CLASS_COUNT, INPUT_SIZE, parameterLayout, type ParameterLayout } from './shapes';
import { TypeScriptBackend } from './typescript-backend';

// 13 hidden units: one unrolled block of 8 plus a tail of 5, so both loop paths run.
const HIDDEN = 13;
const layout = parameterLayout(HIDDEN);

/** Sparse synthetic images: about a quarter of the pixels non-zero, like MNIST strokes. */
function syntheticSet(count: number, seed: number): LabeledImages {
  const random = new Random(seed);
  const images = new Uint8Array(count * INPUT_SIZE);
  for (let i = 0; i < images.length; i++) {
    if (random.nextFloat() < 0.25) images[i] = 1 + (random.nextUint32() % 255);
  }
  const labels = Uint8Array.from({ length: count }, () => random.nextUint32() % CLASS_COUNT);
  return { images, labels, count };
}

function randomParameters(seed: number): Float32Array {
  const random = new Random(seed);
  const params = new Float32Array(layout.size);
  initializeParameters(params, layout, 'he', random);
  // Non-zero biases, so their gradients and the ReLU boundary are exercised too.
  for (let i = layout.b1; i < layout.w2; i++) params[i] = 0.1 * random.nextNormal();
  for (let i = layout.b2; i < layout.size; i++) params[i] = 0.1 * random.nextNormal();
  return params;
}

/** Mean cross-entropy in float64 by the dense textbook formulas: an independent reference. */
function referenceLoss(params: Float64Array, set: LabeledImages, shape: ParameterLayout): number {
  const H = shape.hiddenSize;
  let total = 0;
  for (let s = 0; s < set.count; s++) {
    const hidden = new Float64Array(H);
    for (let h = 0; h < H; h++) {
      let z = params[shape.b1 + h];
      for (let i = 0; i < INPUT_SIZE; i++) z += (set.images[s * INPUT_SIZE + i] / 255) * params[shape.w1 + i * H + h];
      hidden[h] = Math.max(0, z);
    }
    const logits: number[] = [];
    for (let k = 0; k < CLASS_COUNT; k++) {
      let z = params[shape.b2 + k];
      for (let h = 0; h < H; h++) z += hidden[h] * params[shape.w2 + h * CLASS_COUNT + k];
      logits.push(z);
    }
    const max = Math.max(...logits);
    const logSum = Math.log(logits.reduce((sum, z) => sum + Math.exp(z - max), 0)) + max;
    total += logSum - logits[set.labels[s]];
  }
  return total / set.count;
}

function identityOrder(count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, i) => i);
}

/** The backend's mean gradient, read off one plain-SGD step: Δp = −lr·g. */
function engineGradient(params: Float32Array, set: LabeledImages): Float64Array {
  // A large rate makes lr·g dominate p, so the float32 rounding of p barely touches g.
  const learningRate = 1000;
  const backend = new TypeScriptBackend(HIDDEN, 'sgd');
  backend.writeParameters(params);
  backend.trainBatch(set, identityOrder(set.count), 0, set.count, learningRate, 0, { lossSum: 0, correct: 0 });
  const after = new Float32Array(layout.size);
  backend.readParameters(after);
  return Float64Array.from(params, (p, i) => (p - after[i]) / learningRate);
}

// A batch of 4 goes through the gradient buffer; a single sample with plain SGD is applied
// to the weights during backprop. Both must follow the true gradient.
describe.each([4, 1])('TypeScriptBackend gradients, batch of %i', (batchSize) => {
  const set = syntheticSet(batchSize, 11);
  const params = randomParameters(3);
  const gradient = engineGradient(params, set);

  function finiteDifference(index: number): number {
    const p = Float64Array.from(params);
    const eps = 1e-5;
    p[index] = params[index] + eps;
    const plus = referenceLoss(p, set, layout);
    p[index] = params[index] - eps;
    const minus = referenceLoss(p, set, layout);
    return (plus - minus) / (2 * eps);
  }

  function relativeError(indices: number[]): number {
    let diff = 0;
    let norm = 0;
    for (const i of indices) {
      const reference = finiteDifference(i);
      diff += (gradient[i] - reference) ** 2;
      norm += reference ** 2;
    }
    expect(norm).toBeGreaterThan(0);
    return Math.sqrt(diff / norm);
  }

  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('match central finite differences for b2, W2 and b1', () => {
    expect(relativeError(range(layout.b2, layout.size))).toBeLessThan(1e-4);
    expect(relativeError(range(layout.w2, layout.b2))).toBeLessThan(1e-4);
    expect(relativeError(range(layout.b1, layout.w2))).toBeLessThan(1e-4);
  });

  it('match central finite differences for W1 rows of lit pixels (sparse path)', () => {
    const lit: number[] = [];
    for (let i = 0; i < INPUT_SIZE && lit.length < 12; i++) {
      if (set.images[i] !== 0) lit.push(i);
    }
    expect(lit.length).toBe(12);
    const indices = lit.flatMap((pixel) => range(pixel * HIDDEN, (pixel + 1) * HIDDEN));
    expect(relativeError(indices)).toBeLessThan(1e-4);
  });

  it('leave W1 rows of pixels that are dark in every image exactly unchanged', () => {
    const dark = range(0, INPUT_SIZE).filter((i) => range(0, set.count).every((s) => set.images[s * INPUT_SIZE + i] === 0));
    expect(dark.length).toBeGreaterThan(50);
    for (const pixel of dark.slice(0, 20)) {
      expect(Math.abs(finiteDifference(pixel * HIDDEN + 5))).toBeLessThan(1e-9);
      for (let h = 0; h < HIDDEN; h++) expect(gradient[pixel * HIDDEN + h]).toBe(0);
    }
  });
});

describe('TypeScriptBackend optimizers', () => {
  const set = syntheticSet(6, 21);
  const params = randomParameters(9);
  const order = identityOrder(set.count);
  const stats: BatchStats = { lossSum: 0, correct: 0 };

  function stepped(optimizer: 'sgd' | 'adam', learningRate: number, momentum: number, steps: number): Float32Array {
    const backend = new TypeScriptBackend(HIDDEN, optimizer);
    backend.writeParameters(params);
    for (let s = 0; s < steps; s++) backend.trainBatch(set, order, 0, set.count, learningRate, momentum, stats);
    const out = new Float32Array(layout.size);
    backend.readParameters(out);
    return out;
  }

  it('momentum carries the previous gradient: p2 = p1 − lr·(μ·g1 + g2)', () => {
    const learningRate = 0.01;
    const momentum = 0.5;
    const p1 = stepped('sgd', learningRate, momentum, 1);
    const p2 = stepped('sgd', learningRate, momentum, 2);
    const g1 = engineGradient(params, set);
    const g2 = engineGradient(p1, set);
    let worst = 0;
    for (let i = 0; i < layout.size; i++) {
      const expected = p1[i] - learningRate * (momentum * g1[i] + g2[i]);
      worst = Math.max(worst, Math.abs(p2[i] - expected));
    }
    expect(worst).toBeLessThan(1e-6);
    // And momentum really changed the step compared with plain SGD.
    expect(stepped('sgd', learningRate, 0, 2)).not.toEqual(p2);
  });

  it('Adam’s bias-corrected first step moves each parameter with a clear gradient by ≈ lr', () => {
    const learningRate = 1e-3;
    const after = stepped('adam', learningRate, 0, 1);
    const gradient = engineGradient(params, set);
    let checked = 0;
    for (let i = 0; i < layout.size; i++) {
      if (Math.abs(gradient[i]) < 1e-4) continue;
      expect(params[i] - after[i]).toBeCloseTo(learningRate * Math.sign(gradient[i]), 6);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('a zero learning rate leaves every parameter unchanged', () => {
    expect(stepped('sgd', 0, 0, 3)).toEqual(params);
    expect(stepped('sgd', 0, 0.9, 3)).toEqual(params);
    expect(stepped('adam', 0, 0, 3)).toEqual(params);
  });
});

describe('TypeScriptBackend inference and checkpoints', () => {
  it('predict returns probabilities that agree with evaluate', () => {
    const set = syntheticSet(1, 4);
    const backend = new TypeScriptBackend(HIDDEN, 'sgd');
    backend.writeParameters(randomParameters(2));
    const pixels = Float32Array.from(set.images, (b) => b / 255);
    const probs = new Float32Array(CLASS_COUNT);
    backend.predict(pixels, probs);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const stats: BatchStats = { lossSum: 0, correct: 0 };
    backend.evaluate(set, 0, 1, stats);
    expect(stats.lossSum).toBeCloseTo(-Math.log(probs[set.labels[0]]), 4);
  });

  it('restoreCheckpoint brings back parameters and optimizer state', () => {
    const set = syntheticSet(8, 6);
    const order = identityOrder(8);
    const stats: BatchStats = { lossSum: 0, correct: 0 };
    const run = (backend: TypeScriptBackend) => {
      backend.trainBatch(set, order, 0, 4, 1e-3, 0, stats);
      const out = new Float32Array(layout.size);
      backend.readParameters(out);
      return out;
    };
    const backend = new TypeScriptBackend(HIDDEN, 'adam');
    backend.writeParameters(randomParameters(8));
    expect(() => backend.restoreCheckpoint()).toThrow();
    run(backend);
    backend.saveCheckpoint();
    const expected = run(backend);
    run(backend);
    backend.restoreCheckpoint();
    // Same parameters and Adam moments ⇒ the same next step, bit for bit.
    expect(run(backend)).toEqual(expected);
  });
});
