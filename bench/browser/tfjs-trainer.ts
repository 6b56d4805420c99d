// The reference point: the same 784-H-10 ReLU MLP with softmax cross-entropy and SGD with
// momentum, trained by TensorFlow.js on its WebAssembly backend. It starts from exactly our
// initial weights and visits the images in exactly our order (same seeded Random, drawn in
// the same sequence as engine/trainer.ts), so accuracies are comparable as well as speeds.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initializeParameters } from '../../src/engine/initialization';
import type { LabeledImages } from '../../src/engine/labeled-images';
import { Random } from '../../src/engine/random';
import { CLASS_COUNT, INPUT_SIZE, parameterLayout } from '../../src/engine/shapes';
import type { TrainerConfig } from '../../src/engine/trainer';
import type { MeasurableTrainer } from '../measure-training';

const PIXEL_SCALE = 1 / 255;
/** Images per forward pass when scoring the test set; bounds the input tensor's size. */
const EVALUATION_CHUNK = 1000;

export interface TfjsWasmInfo {
  flavour: 'threaded-simd' | 'simd' | 'plain';
  threads: number;
}

/**
 * `wasmPathPrefix` is where tfjs-backend-wasm's three .wasm files are served, ending in '/'.
 * `threads` is only a request: TF.js needs cross-origin isolation for more than one, and in a
 * dedicated worker 4.22 has been seen to keep one anyway (tfjs#6081), so report what it uses.
 */
export async function useTfjsWasm(wasmPathPrefix: string, threads: number): Promise<TfjsWasmInfo> {
  setWasmPaths(wasmPathPrefix);
  setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not initialise its wasm backend.');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const flavour = simd === true ? (threaded === true ? 'threaded-simd' : 'simd') : 'plain';
  return { flavour, threads: flavour === 'threaded-simd' ? getThreadsCount() : 1 };
}

export class TfjsTrainer implements MeasurableTrainer {
  private readonly trainSet: LabeledImages;
  private readonly batchSize: number;
  private readonly random: Random;
  private readonly order: Uint32Array;
  private readonly w1: tf.Variable;
  private readonly b1: tf.Variable;
  private readonly w2: tf.Variable;
  private readonly b2: tf.Variable;
  private readonly optimizer: tf.MomentumOptimizer;
  // Reused for every batch so the loop allocates no JS arrays.
  private readonly batchPixels: Float32Array;
  private readonly batchTargets: Float32Array;
  private readonly evalPixels = new Float32Array(EVALUATION_CHUNK * INPUT_SIZE);
  private cursor = 0;

  constructor(train: LabeledImages, config: TrainerConfig) {
    if (config.optimizer !== 'sgd') throw new Error('The TF.js reference implements SGD with momentum only.');
    this.trainSet = train;
    this.batchSize = config.batchSize;
    this.random = new Random(config.seed);
    const layout = parameterLayout(config.hiddenSize);
    const initial = new Float32Array(layout.size);
    initializeParameters(initial, layout, config.init, this.random);
    // Our layout is W1 input-major [784, H] and W2 hidden-major [H, 10]: x·W1 and h·W2 as is.
    const hidden = config.hiddenSize;
    this.w1 = tf.variable(tf.tensor2d(initial.subarray(layout.w1, layout.b1), [INPUT_SIZE, hidden]));
    this.b1 = tf.variable(tf.tensor1d(initial.subarray(layout.b1, layout.w2)));
    this.w2 = tf.variable(tf.tensor2d(initial.subarray(layout.w2, layout.b2), [hidden, CLASS_COUNT]));
    this.b2 = tf.variable(tf.tensor1d(initial.subarray(layout.b2, layout.size)));
    this.optimizer = tf.train.momentum(config.learningRate, config.momentum);
    this.batchPixels = new Float32Array(config.batchSize * INPUT_SIZE);
    this.batchTargets = new Float32Array(config.batchSize * CLASS_COUNT);
    this.order = new Uint32Array(train.count);
    this.random.permutation(this.order);
  }

  train(sampleBudget: number): { samples: number; epochEnded: boolean; diverged: boolean } {
    const count = this.trainSet.count;
    let samples = 0;
    let epochEnded = false;
    let diverged = false;
    while (samples < sampleBudget && !epochEnded && !diverged) {
      const batch = Math.min(this.batchSize, count - this.cursor);
      const loss = this.trainBatch(batch);
      diverged = !Number.isFinite(loss);
      this.cursor += batch;
      samples += batch;
      if (this.cursor === count) {
        this.cursor = 0;
        this.random.permutation(this.order);
        epochEnded = true;
      }
    }
    return { samples, epochEnded, diverged };
  }

  evaluate(set: LabeledImages, start: number, count: number): { count: number; correct: number } {
    let correct = 0;
    for (let done = 0; done < count; done += EVALUATION_CHUNK) {
      const size = Math.min(EVALUATION_CHUNK, count - done);
      const first = start + done;
      const pixels = this.evalPixels.subarray(0, size * INPUT_SIZE);
      const source = set.images.subarray(first * INPUT_SIZE, (first + size) * INPUT_SIZE);
      for (let i = 0; i < pixels.length; i++) pixels[i] = source[i] * PIXEL_SCALE;
      const predicted = tf.tidy(() => tf.argMax(this.logits(tf.tensor2d(pixels, [size, INPUT_SIZE])), 1).dataSync());
      for (let i = 0; i < size; i++) if (predicted[i] === set.labels[first + i]) correct++;
    }
    return { count, correct };
  }

  /** One momentum step on the mean loss of the next `batch` images; returns that loss. */
  private trainBatch(batch: number): number {
    const pixels = this.batchPixels.subarray(0, batch * INPUT_SIZE);
    const targets = this.batchTargets.subarray(0, batch * CLASS_COUNT);
    targets.fill(0);
    const { images, labels } = this.trainSet;
    for (let i = 0; i < batch; i++) {
      const index = this.order[this.cursor + i];
      const source = index * INPUT_SIZE;
      const target = i * INPUT_SIZE;
      for (let p = 0; p < INPUT_SIZE; p++) pixels[target + p] = images[source + p] * PIXEL_SCALE;
      targets[i * CLASS_COUNT + labels[index]] = 1;
    }
    return tf.tidy(() => {
      const x = tf.tensor2d(pixels, [batch, INPUT_SIZE]);
      const y = tf.tensor2d(targets, [batch, CLASS_COUNT]);
      const cost = this.optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, this.logits(x)), true, [
        this.w1,
        this.b1,
        this.w2,
        this.b2,
      ]);
      if (cost === null) throw new Error('TF.js returned no cost from minimize.');
      return cost.dataSync()[0];
    });
  }

  private logits(x: tf.Tensor2D): tf.Tensor2D {
    const hidden = tf.relu(tf.add(tf.matMul(x, this.w1), this.b1));
    return tf.add(tf.matMul(hidden, this.w2), this.b2);
  }
}
