// Maps a setting's value to a slider position and back. Log scales spread each decade
// evenly, so 1e-4 and 1e-1 are equally easy to reach.

import type { NumberSetting } from '../../shared/hyperparameters';

/** Positions are integers 0..SLIDER_STEPS, fine enough for smooth dragging. */
export const SLIDER_STEPS = 1000;

export function valueToPosition(setting: NumberSetting, value: number): number {
  const clamped = Math.min(setting.max, Math.max(setting.min, value));
  const fraction =
    setting.scale === 'log'
      ? Math.log(clamped / setting.min) / Math.log(setting.max / setting.min)
      : (clamped - setting.min) / (setting.max - setting.min);
  return Math.round(fraction * SLIDER_STEPS);
}

export function positionToValue(setting: NumberSetting, position: number): number {
  const fraction = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  const raw =
    setting.scale === 'log'
      ? setting.min * Math.pow(setting.max / setting.min, fraction)
      : setting.min + fraction * (setting.max - setting.min);
  return setting.integer ? Math.round(raw) : roundToSignificant(raw, 3);
}

/** Three significant digits: a learning rate of 0.0512 rather than 0.05119438. */
export function roundToSignificant(value: number, digits: number): number {
  if (value === 0) return 0;
  return Number(value.toPrecision(digits));
}

export function formatSettingValue(setting: NumberSetting, value: number): string {
  if (setting.integer) return value.toLocaleString('en-US');
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e4)) return value.toExponential(1);
  return String(roundToSignificant(value, 3));
}
