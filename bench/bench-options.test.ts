import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCH_OPTIONS, parseBenchOptions } from './bench-options';

describe('parseBenchOptions', () => {
  it('uses the defaults without flags', () => {
    expect(parseBenchOptions([])).toEqual(DEFAULT_BENCH_OPTIONS);
    expect(DEFAULT_BENCH_OPTIONS.batchSize).toBe(64);
  });

  it('reads spaced and inline values', () => {
    expect(parseBenchOptions(['--epochs', '5', '--batch=32', '--only', 'browser', '--tfjs-epochs=2'])).toEqual({
      epochs: 5,
      tfjsEpochs: 2,
      batchSize: 32,
      only: 'browser',
    });
  });

  it('rejects unknown flags, missing values and bad numbers with the usage line', () => {
    expect(() => parseBenchOptions(['--epoch', '3'])).toThrow(/Unknown flag “--epoch”.*Usage/);
    expect(() => parseBenchOptions(['--epochs'])).toThrow(/needs a value/);
    expect(() => parseBenchOptions(['--epochs', '1.5'])).toThrow(/whole number/);
    expect(() => parseBenchOptions(['--batch', '0'])).toThrow(/whole number from 1 to 1024/);
    expect(() => parseBenchOptions(['--batch', '2048'])).toThrow(/whole number from 1 to 1024/);
    expect(() => parseBenchOptions(['--only', 'gpu'])).toThrow(/node or browser/);
  });
});
