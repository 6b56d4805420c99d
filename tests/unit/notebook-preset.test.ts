// Reproduces the original numpy notebook: per-sample SGD (batch 1, lr 1e-4, no momentum),
// weights randn × 0.001, 128 hidden units, 20 epochs over the first 54,000 training images.
// Its reported validation accuracy on the last 6,000 was 92.6%; we accept ± 0.7 points.
// Takes about a minute in Node.

import { expect, it } from 'vitest';
import { sliceLabeledImages } from '../../src/engine/labeled-images';
import { Trainer } from '../../src/engine/trainer';
import { loadRealMnist } from '../fixtures/real-mnist';

it('the notebook preset reaches the notebook’s validation accuracy after 20 epochs', () => {
  const mnist = loadRealMnist('train');
  const train = sliceLabeledImages(mnist, 0, 54_000);
  const validation = sliceLabeledImages(mnist, 54_000, 6_000);
  const trainer = new Trainer(train, {
    hiddenSize: 128,
    optimizer: 'sgd',
    init: 'notebook',
    seed: 1,
    learningRate: 1e-4,
    momentum: 0,
    batchSize: 1,
  });
  const accuracies: number[] = [];
  while (trainer.epochsCompleted < 20) {
    const summary = trainer.train(54_000);
    expect(summary.diverged).toBe(false);
    if (summary.epochEnded) {
      const result = trainer.evaluate(validation, 0, validation.count);
      accuracies.push(result.correct / result.count);
    }
  }
  // The tiny initial weights make the first epoch nearly useless, as in the notebook.
  expect(accuracies[0]).toBeLessThan(0.5);
  expect(accuracies[19]).toBeGreaterThan(0.926 - 0.007);
  expect(accuracies[19]).toBeLessThan(0.926 + 0.007);
}, 300_000);
