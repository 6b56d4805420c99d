// Reproduces the original numpy notebook: per-sample SGD (batch 1, lr 1e-4, no momentum),
// weights randn × 0.001, 128 hidden units, 20 epochs over the first 54,000 training images.
// Its reported validation accuracy on the last 6,000 was 92.6%; we accept ± 0.7 points.
// Takes about a minute in Node.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { sliceLabeledImages, type LabeledImages } from '../../src/engine/labeled-images';
import { Trainer } from '../../src/engine/trainer';

/** The training file, read with Node; the production IDX parser lives in src/data/. */
function loadMnistTrain(): LabeledImages {
  const dir = process.env.MNIST_DIR ?? 'public/mnist';
  const imagesPath = join(dir, 'train-images-idx3-ubyte.gz');
  const labelsPath = join(dir, 'train-labels-idx1-ubyte.gz');
  if (!existsSync(imagesPath) || !existsSync(labelsPath)) {
    throw new Error(`MNIST training files not found in ${dir}: set MNIST_DIR or run the install script`);
  }
  // IDX headers: 16 bytes for images (magic, count, rows, cols), 8 for labels (magic, count).
  const labels = gunzipSync(readFileSync(labelsPath)).subarray(8);
  const images = gunzipSync(readFileSync(imagesPath)).subarray(16);
  return { images, labels, count: labels.length };
}

it('the notebook preset reaches the notebook’s validation accuracy after 20 epochs', () => {
  const mnist = loadMnistTrain();
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
