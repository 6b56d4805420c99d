import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  HYPERPARAMETER_NAMES,
  HYPERPARAMETER_SPEC,
  PRESETS,
  parseSetting,
  resetRequiredBy,
  validatePatch,
} from './hyperparameters';

describe('hyperparameter spec', () => {
  it('has defaults inside their own ranges and unique URL keys', () => {
    for (const name of HYPERPARAMETER_NAMES) {
      expect(parseSetting(name, DEFAULT_HYPERPARAMETERS[name]).ok, name).toBe(true);
    }
    const keys = HYPERPARAMETER_NAMES.map((name) => HYPERPARAMETER_SPEC[name].urlKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('describes the notebook preset as the original run', () => {
    expect(PRESETS.notebook).toMatchObject({
      batchSize: 1,
      learningRate: 1e-4,
      init: 'notebook',
      optimizer: 'sgd',
      momentum: 0,
      epochs: 20,
      hiddenSize: 128,
    });
  });

  it('keeps good values of a patch and explains the bad ones', () => {
    const { values, problems } = validatePatch({ learningRate: 0.1, batchSize: 3.5, colour: 'red', optimizer: 'adam' });
    expect(values).toEqual({ learningRate: 0.1, optimizer: 'adam' });
    expect(problems).toEqual(['Batch size must be a whole number, got 3.5.', 'Unknown setting “colour”.']);
    expect(validatePatch({ learningRate: Infinity }).problems).toHaveLength(1);
    expect(validatePatch({ learningRate: 2 }).problems[0]).toMatch(/between 0.00001 and 1/);
  });

  it('asks for a reset only for structural settings', () => {
    expect(resetRequiredBy(DEFAULT_HYPERPARAMETERS, { ...DEFAULT_HYPERPARAMETERS, learningRate: 0.2, batchSize: 8 })).toEqual([]);
    expect(resetRequiredBy(DEFAULT_HYPERPARAMETERS, { ...DEFAULT_HYPERPARAMETERS, hiddenSize: 64, seed: 2 })).toEqual([
      'hiddenSize',
      'seed',
    ]);
  });
});
