import { describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMETERS, PRESETS } from '../shared/hyperparameters';
import { parseUrlState, serializeUrlState } from './url-state';

describe('parseUrlState', () => {
  it('reads every documented key', () => {
    const state = parseUrlState('?lr=0.01&batch=32&hidden=256&seed=7&epochs=5&optimizer=adam&momentum=0.5&init=notebook&augment=off&backend=typescript&autostart=1');
    expect(state.problems).toEqual([]);
    expect(state.autostart).toBe(true);
    expect(state.hyperparameters).toEqual({
      learningRate: 0.01,
      batchSize: 32,
      hiddenSize: 256,
      seed: 7,
      epochs: 5,
      optimizer: 'adam',
      momentum: 0.5,
      init: 'notebook',
      augment: 'off',
      backend: 'typescript',
    });
  });

  it('reports bad values and keeps the defaults for them only', () => {
    const state = parseUrlState('?lr=banana&batch=0&hidden=12.5&optimizer=rmsprop&seed=7&autostart=maybe');
    expect(state.problems).toHaveLength(5);
    expect(state.problems.join(' ')).toMatch(/Learning rate must be a number/);
    expect(state.problems.join(' ')).toMatch(/Batch size must be between 1 and 1024/);
    expect(state.problems.join(' ')).toMatch(/Hidden units must be a whole number/);
    expect(state.problems.join(' ')).toMatch(/Optimizer must be one of sgd, adam/);
    expect(state.hyperparameters).toEqual({ ...DEFAULT_HYPERPARAMETERS, seed: 7 });
    expect(state.autostart).toBe(false);
  });

  it('rejects NaN, Infinity and empty values', () => {
    for (const raw of ['NaN', 'Infinity', '', '1e400']) {
      const state = parseUrlState(`?lr=${raw}`);
      expect(state.problems).toHaveLength(1);
      expect(state.hyperparameters.learningRate).toBe(DEFAULT_HYPERPARAMETERS.learningRate);
    }
  });

  it('starts from a preset and lets keys override it', () => {
    const state = parseUrlState('?preset=notebook&epochs=3');
    expect(state.hyperparameters).toEqual({ ...PRESETS.notebook, epochs: 3 });
    expect(parseUrlState('?preset=nope').problems).toHaveLength(1);
  });
});

describe('serializeUrlState', () => {
  it('writes only what differs from the defaults and round-trips', () => {
    expect(serializeUrlState(DEFAULT_HYPERPARAMETERS, '')).toBe('');
    const changed = { ...DEFAULT_HYPERPARAMETERS, learningRate: 0.003, seed: 9, optimizer: 'adam' as const };
    const search = serializeUrlState(changed, '?autostart=1&preset=notebook');
    expect(search).toContain('lr=0.003');
    expect(search).toContain('autostart=1');
    expect(search).not.toContain('preset');
    expect(search).not.toContain('batch=');
    expect(parseUrlState(search).hyperparameters).toEqual(changed);
  });
});
