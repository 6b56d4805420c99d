// The one run-and-measure loop, shared by Node and the browser worker so both report the
// same numbers the same way. It knows nothing about which engine it drives: anything with
// the Trainer's train/evaluate shape can be measured, TF.js included.

import type { LabeledImages } from '../src/engine/labeled-images';

/** The part of the engine's Trainer that the bench drives. */
export interface MeasurableTrainer {
  /** Trains whole batches until ≥ sampleBudget samples or the epoch ends (never crossing it). */
  train(sampleBudget: number): { samples: number; epochEnded: boolean; diverged: boolean };
  evaluate(set: LabeledImages, start: number, count: number): { count: number; correct: number };
}

export interface MeasureOptions {
  epochs: number;
  /** Images per epoch, i.e. the training set's size. */
  trainCount: number;
  test: LabeledImages;
  /** Like the app: the test set is scored every 1/evaluationsPerEpoch of an epoch. */
  evaluationsPerEpoch: number;
  targetAccuracy: number;
  /** Milliseconds from any fixed origin (performance.now in both runtimes). */
  now: () => number;
  onEpoch?: (epoch: EpochMeasurement) => void;
}

export interface EpochMeasurement {
  /** 1-based. */
  epoch: number;
  samples: number;
  /** Training only: evaluation time is excluded. */
  samplesPerSec: number;
  /** Test accuracy at the end of this epoch. */
  testAccuracy: number;
  /** Training plus evaluation. */
  wallSeconds: number;
}

export interface RunMeasurement {
  epochs: EpochMeasurement[];
  /** All training samples over all training time. */
  samplesPerSec: number;
  testAccuracy: number;
  /** Training + evaluation wall time until the test accuracy first reached the target; null if never. */
  secondsTo97: number | null;
  /** Training stopped early because a batch loss was NaN or infinite. */
  diverged: boolean;
}

export function measureTraining(trainer: MeasurableTrainer, options: MeasureOptions): RunMeasurement {
  const { epochs, trainCount, test, evaluationsPerEpoch, targetAccuracy, now } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(evaluationsPerEpoch) || evaluationsPerEpoch < 1) {
    throw new RangeError(`evaluationsPerEpoch must be a positive integer, got ${evaluationsPerEpoch}`);
  }
  const measured: EpochMeasurement[] = [];
  let totalSamples = 0;
  let totalTrainMs = 0;
  let elapsedMs = 0;
  let secondsTo97: number | null = null;
  let accuracy = 0;
  let diverged = false;

  for (let epoch = 1; epoch <= epochs && !diverged; epoch++) {
    let epochSamples = 0;
    let epochTrainMs = 0;
    let epochEvalMs = 0;
    let epochEnded = false;
    for (let part = 1; part <= evaluationsPerEpoch && !epochEnded && !diverged; part++) {
      const boundary = part === evaluationsPerEpoch ? trainCount : Math.round((part * trainCount) / evaluationsPerEpoch);
      const trainStart = now();
      while (epochSamples < boundary && !epochEnded && !diverged) {
        const summary = trainer.train(boundary - epochSamples);
        epochSamples += summary.samples;
        epochEnded = summary.epochEnded;
        diverged = summary.diverged;
      }
      const evalStart = now();
      const score = trainer.evaluate(test, 0, test.count);
      const evalEnd = now();
      accuracy = score.correct / score.count;
      epochTrainMs += evalStart - trainStart;
      epochEvalMs += evalEnd - evalStart;
      if (secondsTo97 === null && accuracy >= targetAccuracy) {
        secondsTo97 = (elapsedMs + epochTrainMs + epochEvalMs) / 1000;
      }
    }
    elapsedMs += epochTrainMs + epochEvalMs;
    totalSamples += epochSamples;
    totalTrainMs += epochTrainMs;
    const row: EpochMeasurement = {
      epoch,
      samples: epochSamples,
      samplesPerSec: perSecond(epochSamples, epochTrainMs),
      testAccuracy: accuracy,
      wallSeconds: (epochTrainMs + epochEvalMs) / 1000,
    };
    measured.push(row);
    options.onEpoch?.(row);
  }
  return {
    epochs: measured,
    samplesPerSec: perSecond(totalSamples, totalTrainMs),
    testAccuracy: accuracy,
    secondsTo97,
    diverged,
  };
}

function perSecond(samples: number, ms: number): number {
  return ms > 0 ? (samples * 1000) / ms : 0;
}
