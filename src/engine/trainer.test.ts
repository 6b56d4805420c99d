import { describe, expect, it } from 'vitest';
import { sliceLabeledImages, type LabeledImages } from './labeled-images';
import { Random } from './random';
import { INPUT_SIZE } from './shapes';
import { Trainer, type TrainerConfig } from './trainer';
import { loadRealMnist } from '../../tests/fixtures/real-mnist';

const DEFAULTS: TrainerConfig = {
  hiddenSize: 64,
  optimizer: 'sgd',
  init: 'he',
  seed: 1,
  learningRate: 0.05,
  momentum: 0.9,
  batchSize: 32,
};

function parameters(trainer: Trainer): Float32Array {
  const out = new Float32Array(trainer.parameterCount);
  trainer.readParameters(out);
  return out;
}

function trainEpochs(trainer: Trainer, epochs: number): void {
  while (trainer.epochsCompleted < epochs) trainer.train(10_000);
}

function meanLoss(trainer: Trainer, set: LabeledImages): { loss: number; accuracy: number } {
  const result = trainer.evaluate(set, 0, set.count);
  return { loss: result.lossSum / result.count, accuracy: result.correct / result.count };
}

describe('Trainer on real MNIST', () => {
  const mnist = loadRealMnist('train');
  const train = sliceLabeledImages(mnist, 0, 2000);
  const heldOut = sliceLabeledImages(mnist, 50_000, 1000);

  it('lowers the loss of held-out images within a few epochs', () => {
    const trainer = new Trainer(train, DEFAULTS);
    const before = meanLoss(trainer, heldOut);
    trainEpochs(trainer, 3);
    const after = meanLoss(trainer, heldOut);
    expect(before.loss).toBeGreaterThan(1.5);
    expect(after.loss).toBeLessThan(0.6);
    expect(after.accuracy).toBeGreaterThan(0.82);
  });

  it.each([
    ['SGD with momentum', { optimizer: 'sgd', learningRate: 0.02, momentum: 0.9 }],
    ['plain SGD', { optimizer: 'sgd', learningRate: 0.1, momentum: 0 }],
    ['Adam', { optimizer: 'adam', learningRate: 1e-3, momentum: 0 }],
  ] as const)('%s reduces the loss', (_, settings) => {
    const trainer = new Trainer(train, { ...DEFAULTS, ...settings });
    const before = meanLoss(trainer, heldOut).loss;
    trainEpochs(trainer, 1);
    expect(meanLoss(trainer, heldOut).loss).toBeLessThan(before * 0.5);
  });

  it('repeats a run bit for bit from the same seed, and not from another', () => {
    const run = (seed: number) => {
      const trainer = new Trainer(train, { ...DEFAULTS, seed });
      // 2,500 samples cross an epoch end, so the second shuffle is covered too.
      while (trainer.samplesSeen < 2500) trainer.train(500);
      return parameters(trainer);
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(run(8)).not.toEqual(first);
  });

  it('applies a live learning-rate change from the next batch', () => {
    const trainer = new Trainer(train, DEFAULTS);
    trainer.train(64);
    trainer.setLearningRate(0);
    const frozen = parameters(trainer);
    trainer.train(256);
    expect(parameters(trainer)).toEqual(frozen);
    trainer.setLearningRate(0.05);
    trainer.train(32);
    expect(parameters(trainer)).not.toEqual(frozen);
  });

  it('detects divergence at once and restores the checkpoint', () => {
    const trainer = new Trainer(train, DEFAULTS);
    trainer.train(256);
    trainer.saveCheckpoint();
    const saved = parameters(trainer);
    trainer.setLearningRate(1e6);
    let summary = trainer.train(32);
    for (let i = 0; i < 20 && !summary.diverged; i++) summary = trainer.train(32);
    expect(summary.diverged).toBe(true);
    expect(summary.samples).toBe(32);
    expect(parameters(trainer).every(Number.isFinite)).toBe(false);
    trainer.restoreCheckpoint();
    expect(parameters(trainer)).toEqual(saved);
    trainer.setLearningRate(0.05);
    const next = trainer.train(32);
    expect(next.diverged).toBe(false);
    expect(Number.isFinite(next.lossSum)).toBe(true);
  });
});

describe('Trainer epochs and batches', () => {
  const random = new Random(3);
  const count = 100;
  const set: LabeledImages = {
    images: Uint8Array.from({ length: count * INPUT_SIZE }, () => (random.nextFloat() < 0.2 ? 200 : 0)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
  };

  it('trains whole batches up to the budget and never crosses an epoch end', () => {
    const trainer = new Trainer(set, { ...DEFAULTS, batchSize: 30 });
    const first = trainer.train(31);
    expect(first).toMatchObject({ samples: 60, epochEnded: false, diverged: false });
    expect(trainer.epoch).toBeCloseTo(0.6, 10);
    const second = trainer.train(1000);
    // 30 more, then the short last batch of 10.
    expect(second).toMatchObject({ samples: 40, epochEnded: true });
    expect(trainer.epochsCompleted).toBe(1);
    expect(trainer.epoch).toBe(1);
    expect(trainer.samplesSeen).toBe(100);
    expect(first.lossSum + second.lossSum).toBeGreaterThan(0);
    expect(first.correct + second.correct).toBeLessThanOrEqual(100);
  });

  it('uses a new batch size from the next batch', () => {
    const trainer = new Trainer(set, { ...DEFAULTS, batchSize: 30 });
    trainer.setBatchSize(7);
    expect(trainer.train(1).samples).toBe(7);
    expect(() => trainer.setBatchSize(0)).toThrow(RangeError);
    expect(() => trainer.setLearningRate(Number.NaN)).toThrow(RangeError);
    expect(() => trainer.setMomentum(1)).toThrow(RangeError);
  });

  it('predicts probabilities for a drawn image', () => {
    const trainer = new Trainer(set, DEFAULTS);
    const out = new Float32Array(10);
    trainer.predict(Float32Array.from(set.images.subarray(0, INPUT_SIZE), (b) => b / 255), out);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(out.every((p) => p > 0 && p < 1)).toBe(true);
  });
});
