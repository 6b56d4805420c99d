import type { Random } from './random';
import { INPUT_SIZE, type ParameterLayout } from './shapes';

export type InitializationName = 'he' | 'notebook';

/** The original notebook drew every weight as randn × 0.001. */
const NOTEBOOK_WEIGHT_SCALE = 0.001;

/**
 * Draws the weights into `params` (biases 0). 'he' scales N(0, 1) by √(2 / fan_in), which
 * keeps the variance of ReLU activations steady from layer to layer; 'notebook' uses tiny
 * weights, so training starts slowly, exactly as the original numpy notebook did.
 */
export function initializeParameters(
  params: Float32Array,
  layout: ParameterLayout,
  init: InitializationName,
  random: Random,
): void {
  if (params.length !== layout.size) {
    throw new RangeError(`Expected ${layout.size} parameters, got ${params.length}`);
  }
  const scale1 = init === 'he' ? Math.sqrt(2 / INPUT_SIZE) : NOTEBOOK_WEIGHT_SCALE;
  const scale2 = init === 'he' ? Math.sqrt(2 / layout.hiddenSize) : NOTEBOOK_WEIGHT_SCALE;
  params.fill(0);
  for (let i = layout.w1; i < layout.b1; i++) params[i] = random.nextNormal() * scale1;
  for (let i = layout.w2; i < layout.b2; i++) params[i] = random.nextNormal() * scale2;
}
