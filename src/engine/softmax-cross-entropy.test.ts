import { describe, expect, it } from 'vitest';
import { argmax, softmaxCrossEntropy } from './softmax-cross-entropy';

describe('softmaxCrossEntropy', () => {
  it('matches the textbook formula on ordinary logits', () => {
    const logits = Float32Array.from([1, 2, 3, 0, -1, 0.5, 0, 0, 0, 0]);
    const probs = new Float32Array(10);
    const loss = softmaxCrossEntropy(logits, 2, probs);
    const sum = Array.from(logits).reduce((s, z) => s + Math.exp(z), 0);
    expect(loss).toBeCloseTo(-Math.log(Math.exp(3) / sum), 6);
    for (let k = 0; k < 10; k++) expect(probs[k]).toBeCloseTo(Math.exp(logits[k]) / sum, 6);
  });

  it('stays finite and correct at huge logits', () => {
    const logits = new Float32Array(10);
    logits[3] = 1000;
    logits[7] = -1000;
    const probs = new Float32Array(10);
    expect(softmaxCrossEntropy(logits, 3, probs)).toBeCloseTo(9 * Math.exp(-1000), 12);
    expect(probs[3]).toBeCloseTo(1, 6);
    expect(probs[7]).toBe(0);
    // p[label] underflows to 0, yet the loss is the exact log-sum-exp difference.
    expect(softmaxCrossEntropy(logits, 7, probs)).toBeCloseTo(2000, 3);
    expect(Array.from(probs).every(Number.isFinite)).toBe(true);
  });

  it('reports NaN when a logit is NaN or infinite', () => {
    const probs = new Float32Array(10);
    const nan = new Float32Array(10);
    nan[4] = Number.NaN;
    expect(softmaxCrossEntropy(nan, 0, probs)).toBeNaN();
    const infinite = new Float32Array(10);
    infinite[0] = Number.POSITIVE_INFINITY;
    expect(softmaxCrossEntropy(infinite, 0, probs)).toBeNaN();
  });
});

describe('argmax', () => {
  it('returns the first index of the largest value', () => {
    expect(argmax(Float32Array.from([0, 5, 1, 5, 0, 0, 0, 0, 0, -1]))).toBe(1);
    expect(argmax(Float32Array.from([-3, -2, -9, -9, -9, -9, -9, -9, -9, -1]))).toBe(9);
  });
});
