// Command-line flags of `npm run bench`, e.g. `--epochs 3 --batch 64 --only browser`.

import { HYPERPARAMETER_SPEC } from '../src/shared/hyperparameters';

export type BenchTarget = 'all' | 'node' | 'browser';

export interface BenchOptions {
  /** Epochs of our engine, in Node and in Chromium. */
  epochs: number;
  /** Epochs of the TF.js comparison (same steps per epoch as ours). */
  tfjsEpochs: number;
  batchSize: number;
  only: BenchTarget;
}

export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  epochs: 3,
  tfjsEpochs: 1,
  batchSize: HYPERPARAMETER_SPEC.batchSize.default,
  only: 'all',
};

export const BENCH_USAGE =
  'Usage: npm run bench -- [--epochs N] [--tfjs-epochs N] [--batch N] [--only node|browser]';

/** Throws an Error with the usage line on an unknown flag or a bad value. */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const options = { ...DEFAULT_BENCH_OPTIONS };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value. ${BENCH_USAGE}`);
    switch (flag) {
      case '--epochs':
        options.epochs = positiveInteger(flag, value, 200);
        break;
      case '--tfjs-epochs':
        options.tfjsEpochs = positiveInteger(flag, value, 200);
        break;
      case '--batch':
        options.batchSize = positiveInteger(flag, value, HYPERPARAMETER_SPEC.batchSize.max);
        break;
      case '--only':
        if (value !== 'node' && value !== 'browser') {
          throw new Error(`--only must be node or browser, got “${value}”. ${BENCH_USAGE}`);
        }
        options.only = value;
        break;
      default:
        throw new Error(`Unknown flag “${flag}”. ${BENCH_USAGE}`);
    }
  }
  return options;
}

function positiveInteger(flag: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${flag} must be a whole number from 1 to ${max}, got “${raw}”. ${BENCH_USAGE}`);
  }
  return value;
}
