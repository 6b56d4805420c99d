import { CLASS_COUNT } from './shapes';

// Module-local copies of the shapes: some loaders (Vitest, tsx in CommonJS mode) compile
// imported constants into getter calls, which made the inner loops about twice as slow.
const CLASSES = CLASS_COUNT;

/**
 * Writes softmax(logits) into `probs` and returns the cross-entropy -log p[label].
 * Subtracting the largest logit keeps every exponent ≤ 0, so nothing overflows; the loss is
 * taken as log-sum-exp minus the label's logit rather than log(p), so it stays finite even
 * when p[label] underflows to 0. NaN or infinite logits give a NaN loss (divergence signal).
 */
export function softmaxCrossEntropy(logits: Float32Array, label: number, probs: Float32Array): number {
  let max = logits[0];
  for (let k = 1; k < CLASSES; k++) if (logits[k] > max) max = logits[k];
  let sum = 0;
  for (let k = 0; k < CLASSES; k++) {
    const e = Math.exp(logits[k] - max);
    probs[k] = e;
    sum += e;
  }
  const inverse = 1 / sum;
  for (let k = 0; k < CLASSES; k++) probs[k] *= inverse;
  return Math.log(sum) - (logits[label] - max);
}

/** Index of the largest of the CLASSES values; the first one wins a tie. */
export function argmax(values: Float32Array): number {
  let best = 0;
  for (let k = 1; k < CLASSES; k++) if (values[k] > values[best]) best = k;
  return best;
}
