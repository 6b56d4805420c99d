import { describe, expect, it } from 'vitest';
import { HYPERPARAMETER_SPEC } from '../../shared/hyperparameters';
import { SLIDER_STEPS, formatSettingValue, positionToValue, valueToPosition } from './slider-scale';

const { learningRate, momentum, batchSize } = HYPERPARAMETER_SPEC;

describe('slider scale', () => {
  it('spreads decades evenly on a log scale', () => {
    expect(valueToPosition(learningRate, 1e-5)).toBe(0);
    expect(valueToPosition(learningRate, 1)).toBe(SLIDER_STEPS);
    expect(valueToPosition(learningRate, 1e-3)).toBe(SLIDER_STEPS * 0.4);
    expect(positionToValue(learningRate, SLIDER_STEPS * 0.6)).toBeCloseTo(0.01, 10);
  });

  it('round-trips values to within one slider step', () => {
    for (const value of [1e-5, 3e-4, 0.05, 0.7, 1]) {
      const back = positionToValue(learningRate, valueToPosition(learningRate, value));
      expect(Math.abs(Math.log10(back) - Math.log10(value))).toBeLessThan(5 / SLIDER_STEPS + 1e-3);
    }
    expect(positionToValue(momentum, valueToPosition(momentum, 0.9))).toBeCloseTo(0.9, 2);
  });

  it('gives whole numbers for integer settings and clamps out-of-range values', () => {
    for (let position = 0; position <= SLIDER_STEPS; position += 37) {
      expect(Number.isInteger(positionToValue(batchSize, position))).toBe(true);
    }
    expect(valueToPosition(batchSize, 10_000)).toBe(SLIDER_STEPS);
    expect(valueToPosition(momentum, -1)).toBe(0);
  });

  it('formats small learning rates readably', () => {
    expect(formatSettingValue(learningRate, 0.0001)).toBe('1.0e-4');
    expect(formatSettingValue(learningRate, 0.05)).toBe('0.05');
    expect(formatSettingValue(batchSize, 1024)).toBe('1,024');
  });
});
