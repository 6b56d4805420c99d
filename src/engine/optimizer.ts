// Update rules over a range [from, to) of a flat parameter vector. Each one also clears the
// gradient it consumed, saving a separate zeroing pass. `gradScale` turns the summed batch
// gradient into its mean (1 / batch size).

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/** Plain SGD: p ← p − lr·g. */
export function sgdStep(
  params: Float32Array,
  grads: Float32Array,
  from: number,
  to: number,
  learningRate: number,
  gradScale: number,
): void {
  const step = learningRate * gradScale;
  for (let i = from; i < to; i++) {
    params[i] -= step * grads[i];
    grads[i] = 0;
  }
}

/**
 * SGD with momentum in the PyTorch form: v ← μ·v + g; p ← p − lr·v. Keeping v in gradient
 * units means a live learning-rate change scales the whole next step at once.
 */
export function momentumStep(
  params: Float32Array,
  velocity: Float32Array,
  grads: Float32Array,
  from: number,
  to: number,
  learningRate: number,
  momentum: number,
  gradScale: number,
): void {
  for (let i = from; i < to; i++) {
    const v = momentum * velocity[i] + gradScale * grads[i];
    velocity[i] = v;
    params[i] -= learningRate * v;
    grads[i] = 0;
  }
}

/**
 * Adam (Kingma & Ba) with bias correction: m and v are running means of g and g², divided by
 * (1 − β^t) so the first steps are not biased towards 0. `stepNumber` t starts at 1.
 */
export function adamStep(
  params: Float32Array,
  firstMoment: Float32Array,
  secondMoment: Float32Array,
  grads: Float32Array,
  from: number,
  to: number,
  learningRate: number,
  stepNumber: number,
  gradScale: number,
): void {
  const correction1 = 1 / (1 - Math.pow(ADAM_BETA1, stepNumber));
  const correction2 = 1 / (1 - Math.pow(ADAM_BETA2, stepNumber));
  for (let i = from; i < to; i++) {
    const g = gradScale * grads[i];
    const m = ADAM_BETA1 * firstMoment[i] + (1 - ADAM_BETA1) * g;
    const v = ADAM_BETA2 * secondMoment[i] + (1 - ADAM_BETA2) * g * g;
    firstMoment[i] = m;
    secondMoment[i] = v;
    params[i] -= (learningRate * m * correction1) / (Math.sqrt(v * correction2) + ADAM_EPSILON);
    grads[i] = 0;
  }
}
