// The experiment lives in the query string (?lr=0.05&batch=64&seed=7&autostart=1), so a
// link reproduces it. Everything is derived from the hyperparameter spec.

import {
  DEFAULT_HYPERPARAMETERS,
  HYPERPARAMETER_NAMES,
  HYPERPARAMETER_SPEC,
  PRESETS,
  parseSetting,
  type Hyperparameters,
  type PresetName,
} from '../shared/hyperparameters';

export interface UrlState {
  readonly hyperparameters: Hyperparameters;
  readonly autostart: boolean;
  /** One message per value that was ignored (its default is used instead). */
  readonly problems: readonly string[];
}

const AUTOSTART_KEY = 'autostart';
const PRESET_KEY = 'preset';

export function parseUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const problems: string[] = [];

  let base: Hyperparameters = DEFAULT_HYPERPARAMETERS;
  const preset = params.get(PRESET_KEY);
  if (preset !== null) {
    if (Object.hasOwn(PRESETS, preset)) base = PRESETS[preset as PresetName];
    else problems.push(`Unknown preset “${preset}”; using the defaults.`);
  }

  const values: Record<string, unknown> = { ...base };
  for (const name of HYPERPARAMETER_NAMES) {
    const raw = params.get(HYPERPARAMETER_SPEC[name].urlKey);
    if (raw === null) continue;
    const result = parseSetting(name, raw);
    if (result.ok) values[name] = result.value;
    else problems.push(`${result.message} Using ${String(base[name])}.`);
  }

  const autostartRaw = params.get(AUTOSTART_KEY);
  const autostart = autostartRaw === '1' || autostartRaw === 'true';
  if (autostartRaw !== null && !autostart && autostartRaw !== '0' && autostartRaw !== 'false') {
    problems.push(`autostart must be 0 or 1, got “${autostartRaw}”.`);
  }
  return { hyperparameters: values as unknown as Hyperparameters, autostart, problems };
}

/**
 * The query string for a configuration: settings that differ from the defaults, in spec
 * order. Unrelated parameters already in `currentSearch` are kept.
 */
export function serializeUrlState(hyperparameters: Hyperparameters, currentSearch: string): string {
  const params = new URLSearchParams(currentSearch);
  params.delete(PRESET_KEY);
  for (const name of HYPERPARAMETER_NAMES) {
    const key = HYPERPARAMETER_SPEC[name].urlKey;
    params.delete(key);
    if (hyperparameters[name] !== DEFAULT_HYPERPARAMETERS[name]) params.set(key, String(hyperparameters[name]));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
