// Trains and measures every engine backend on the app's default settings. Runs unchanged
// in Node (run-bench.ts) and in the browser's worker (browser/bench-worker.ts).

import type { LabeledImages } from '../src/engine/labeled-images';
import type { TrainerConfig } from '../src/engine/trainer';
import { DEFAULT_HYPERPARAMETERS } from '../src/shared/hyperparameters';
import { ENGINE_BACKENDS, type EngineRuntime } from './engine-backends';
import { formatEpoch, type BenchRow } from './bench-report';
import { measureTraining, type MeasurableTrainer, type RunMeasurement } from './measure-training';

/** As in the app (worker/trainer-service.ts), which the bench may not import. */
export const EVALUATIONS_PER_EPOCH = 4;
export const TARGET_ACCURACY = 0.97;

export interface EngineRunRequest {
  epochs: number;
  batchSize: number;
}

/** The app's defaults, with the batch size the bench was asked for; augmentation per row. */
export function defaultTrainerConfig(batchSize: number): TrainerConfig {
  const defaults = DEFAULT_HYPERPARAMETERS;
  return {
    hiddenSize: defaults.hiddenSize,
    optimizer: defaults.optimizer,
    init: defaults.init,
    seed: defaults.seed,
    learningRate: defaults.learningRate,
    momentum: defaults.momentum,
    batchSize,
  };
}

export function measureOn(
  trainer: MeasurableTrainer,
  train: LabeledImages,
  test: LabeledImages,
  epochs: number,
  onEpoch: (line: string) => void,
  label: string,
): RunMeasurement {
  return measureTraining(trainer, {
    epochs,
    trainCount: train.count,
    test,
    evaluationsPerEpoch: EVALUATIONS_PER_EPOCH,
    targetAccuracy: TARGET_ACCURACY,
    now: () => performance.now(),
    onEpoch: (epoch) => onEpoch(formatEpoch(label, epoch)),
  });
}

export async function runEngineBackends(
  train: LabeledImages,
  test: LabeledImages,
  request: EngineRunRequest,
  runtime: BenchRow['runtime'],
  log: (line: string) => void,
  engineRuntime: EngineRuntime,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const entry of ENGINE_BACKENDS) {
    const config = { ...defaultTrainerConfig(request.batchSize), augment: entry.augment };
    const created = await entry.create(train, config, engineRuntime);
    const notes = entry.augment ? 'augmentation on (app default)' : '';
    const label = `${runtime}/${entry.backend}${entry.augment ? '+augment' : ''}`;
    let measured: RunMeasurement;
    try {
      measured = measureOn(created.trainer, train, test, request.epochs, log, label);
    } finally {
      created.dispose();
    }
    rows.push({ ...measured, runtime, engine: 'ours', backend: entry.backend, workers: entry.workers, notes });
  }
  return rows;
}
