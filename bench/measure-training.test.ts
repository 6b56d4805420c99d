import { describe, expect, it } from 'vitest';
import type { LabeledImages } from '../src/engine/labeled-images';
import { measureTraining, type MeasurableTrainer, type MeasureOptions } from './measure-training';

const TEST_SET: LabeledImages = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 100 };

/**
 * A scripted trainer on a fake clock: each sample costs `msPerSample`, each evaluation
 * `evalMs`, and the n-th evaluation returns accuracies[n] (the last one repeats).
 */
function scriptedTrainer(options: {
  count: number;
  batch: number;
  msPerSample: number;
  evalMs: number;
  accuracies: number[];
  divergeAfterSamples?: number;
}) {
  let clock = 0;
  let cursor = 0;
  let seen = 0;
  const budgets: number[] = [];
  let evaluations = 0;
  const trainer: MeasurableTrainer = {
    train(budget) {
      budgets.push(budget);
      let samples = 0;
      let epochEnded = false;
      let diverged = false;
      while (samples < budget) {
        const batch = Math.min(options.batch, options.count - cursor);
        cursor += batch;
        samples += batch;
        seen += batch;
        clock += batch * options.msPerSample;
        if (options.divergeAfterSamples !== undefined && seen >= options.divergeAfterSamples) diverged = true;
        if (cursor === options.count) {
          cursor = 0;
          epochEnded = true;
        }
        if (epochEnded || diverged) break;
      }
      return { samples, epochEnded, diverged };
    },
    evaluate(set, _start, count) {
      clock += options.evalMs;
      const accuracy = options.accuracies[Math.min(evaluations, options.accuracies.length - 1)];
      evaluations++;
      return { count, correct: Math.round(accuracy * set.count) };
    },
  };
  return { trainer, now: () => clock, budgets, evaluationCount: () => evaluations };
}

function baseOptions(now: () => number): MeasureOptions {
  return { epochs: 2, trainCount: 1000, test: TEST_SET, evaluationsPerEpoch: 4, targetAccuracy: 0.97, now };
}

describe('measureTraining', () => {
  it('evaluates every quarter epoch and excludes evaluation from samples/s', () => {
    // 1000 samples at 0.5 ms each = 500 ms of training per epoch; 4 evaluations × 100 ms.
    const fake = scriptedTrainer({ count: 1000, batch: 64, msPerSample: 0.5, evalMs: 100, accuracies: [0.5] });
    const result = measureTraining(fake.trainer, baseOptions(fake.now));

    expect(fake.evaluationCount()).toBe(8);
    expect(result.epochs).toHaveLength(2);
    for (const epoch of result.epochs) {
      expect(epoch.samples).toBe(1000);
      expect(epoch.samplesPerSec).toBeCloseTo(2000, 6);
      expect(epoch.wallSeconds).toBeCloseTo(0.9, 9);
    }
    expect(result.samplesPerSec).toBeCloseTo(2000, 6);
    expect(result.secondsTo97).toBeNull();
    expect(result.diverged).toBe(false);
  });

  it('asks the trainer for quarter-epoch budgets', () => {
    const fake = scriptedTrainer({ count: 1000, batch: 1000, msPerSample: 1, evalMs: 0, accuracies: [0.5] });
    measureTraining(fake.trainer, { ...baseOptions(fake.now), epochs: 1 });
    // One batch swallows the whole epoch, so only the first budget is ever asked for.
    expect(fake.budgets).toEqual([250]);

    const small = scriptedTrainer({ count: 1000, batch: 10, msPerSample: 1, evalMs: 0, accuracies: [0.5] });
    measureTraining(small.trainer, { ...baseOptions(small.now), epochs: 1 });
    expect(small.budgets).toEqual([250, 250, 250, 250]);
  });

  it('reports the wall time (training + evaluation) of the first evaluation at the target', () => {
    // Evaluations: 0.90, 0.95, 0.97 (third quarter of epoch 1), then 0.96 and 0.98.
    const fake = scriptedTrainer({
      count: 1000,
      batch: 50,
      msPerSample: 1,
      evalMs: 10,
      accuracies: [0.9, 0.95, 0.97, 0.96, 0.98],
    });
    const result = measureTraining(fake.trainer, baseOptions(fake.now));
    // Three quarters of training (750 ms) plus three evaluations (30 ms).
    expect(result.secondsTo97).toBeCloseTo(0.78, 9);
    expect(result.epochs[0].testAccuracy).toBeCloseTo(0.96, 9);
    expect(result.testAccuracy).toBeCloseTo(0.98, 9);
  });

  it('stops after a diverged batch and says so', () => {
    const fake = scriptedTrainer({
      count: 1000,
      batch: 100,
      msPerSample: 1,
      evalMs: 0,
      accuracies: [0.1],
      divergeAfterSamples: 300,
    });
    const result = measureTraining(fake.trainer, baseOptions(fake.now));
    expect(result.diverged).toBe(true);
    expect(result.epochs).toHaveLength(1);
    expect(result.epochs[0].samples).toBe(300);
  });

  it('rejects a non-positive epoch count', () => {
    const fake = scriptedTrainer({ count: 10, batch: 1, msPerSample: 1, evalMs: 0, accuracies: [0] });
    expect(() => measureTraining(fake.trainer, { ...baseOptions(fake.now), epochs: 0 })).toThrow(RangeError);
  });
});
