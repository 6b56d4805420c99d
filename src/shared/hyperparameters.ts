// The single source of truth for every training setting: its URL key, label, range,
// default, scale and whether it applies live or needs a reset. Sliders, URL parsing,
// worker validation and tests all derive from this table.

interface SettingBase {
  /** Key in the page's query string. */
  readonly urlKey: string;
  readonly label: string;
  /** Live settings change a running network; the others rebuild it (reset). */
  readonly live: boolean;
  readonly help: string;
}

export interface NumberSetting extends SettingBase {
  readonly kind: 'number';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** How a slider maps to the value: log spreads decades evenly. */
  readonly scale: 'log' | 'linear';
  readonly integer: boolean;
}

export interface ChoiceSetting<T extends string = string> extends SettingBase {
  readonly kind: 'choice';
  readonly default: T;
  readonly options: readonly T[];
  readonly optionLabels: Readonly<Record<T, string>>;
}

export type Setting = NumberSetting | ChoiceSetting;

export const OPTIMIZERS = ['sgd', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const BACKENDS = ['wasm', 'wasm-threads', 'typescript'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const AUGMENTATIONS = ['on', 'off'] as const;
export type AugmentationName = (typeof AUGMENTATIONS)[number];

export const INITIALIZATIONS = ['he', 'notebook'] as const;
export type InitializationName = (typeof INITIALIZATIONS)[number];

export const HYPERPARAMETER_SPEC = {
  learningRate: {
    kind: 'number',
    urlKey: 'lr',
    label: 'Learning rate',
    default: 0.05,
    min: 1e-5,
    max: 1,
    scale: 'log',
    integer: false,
    live: true,
    help: 'Step size of each update. Takes effect on the next batch.',
  },
  momentum: {
    kind: 'number',
    urlKey: 'momentum',
    label: 'Momentum',
    default: 0.9,
    min: 0,
    max: 0.99,
    scale: 'linear',
    integer: false,
    live: true,
    help: 'SGD only: how much of the previous update carries into the next.',
  },
  batchSize: {
    kind: 'number',
    urlKey: 'batch',
    label: 'Batch size',
    default: 64,
    min: 1,
    max: 1024,
    scale: 'log',
    integer: true,
    live: true,
    help: 'Images averaged per update. 1 is the notebook’s per-sample SGD.',
  },
  epochs: {
    kind: 'number',
    urlKey: 'epochs',
    label: 'Epochs',
    default: 10,
    min: 1,
    max: 200,
    scale: 'linear',
    integer: true,
    live: true,
    help: 'Passes over the 54,000 training images before training stops.',
  },
  hiddenSize: {
    kind: 'number',
    urlKey: 'hidden',
    label: 'Hidden units',
    default: 128,
    min: 8,
    max: 1024,
    scale: 'log',
    integer: true,
    live: false,
    help: 'Width of the ReLU layer between the 784 pixels and the 10 classes.',
  },
  optimizer: {
    kind: 'choice',
    urlKey: 'optimizer',
    label: 'Optimizer',
    default: 'sgd',
    options: OPTIMIZERS,
    optionLabels: { sgd: 'SGD', adam: 'Adam' },
    live: false,
    help: 'SGD (with momentum) or Adam.',
  },
  augment: {
    kind: 'choice',
    urlKey: 'augment',
    label: 'Augmentation',
    default: 'on',
    options: AUGMENTATIONS,
    optionLabels: { on: 'On', off: 'Off' },
    live: true,
    help: 'Trains on randomly moved, resized, rotated and thickened copies, so drawn digits read better.',
  },
  init: {
    kind: 'choice',
    urlKey: 'init',
    label: 'Initialisation',
    default: 'he',
    options: INITIALIZATIONS,
    optionLabels: { he: 'He (√(2/fan-in))', notebook: 'Notebook (randn × 0.001)' },
    live: false,
    help: 'How the weights are drawn before training.',
  },
  backend: {
    kind: 'choice',
    urlKey: 'backend',
    label: 'Engine',
    default: 'wasm',
    options: BACKENDS,
    optionLabels: { wasm: 'WebAssembly SIMD', 'wasm-threads': 'WebAssembly SIMD, 2 threads', typescript: 'TypeScript (reference)' },
    live: false,
    help:
      'All compute the same numbers up to rounding; WebAssembly is several times faster. Two threads split ' +
      'each batch: faster where a core is free, slower where the page or other programs keep it busy.',
  },
  seed: {
    kind: 'number',
    urlKey: 'seed',
    label: 'Seed',
    default: 1,
    min: 0,
    max: 2_147_483_647,
    scale: 'linear',
    integer: true,
    live: false,
    help: 'Seeds initialisation and shuffling: the same seed repeats the same run.',
  },
} as const satisfies Record<string, Setting>;

export type HyperparameterName = keyof typeof HYPERPARAMETER_SPEC;

type ValueOf<S> = S extends { kind: 'number' }
  ? number
  : S extends { kind: 'choice'; options: readonly (infer T)[] }
    ? T
    : never;

export type Hyperparameters = { readonly [K in HyperparameterName]: ValueOf<(typeof HYPERPARAMETER_SPEC)[K]> };

export const HYPERPARAMETER_NAMES = Object.keys(HYPERPARAMETER_SPEC) as HyperparameterName[];

export const DEFAULT_HYPERPARAMETERS: Hyperparameters = Object.fromEntries(
  HYPERPARAMETER_NAMES.map((name) => [name, HYPERPARAMETER_SPEC[name].default]),
) as unknown as Hyperparameters;

/** Named starting points. The notebook preset reproduces the original numpy run. */
export const PRESETS = {
  default: DEFAULT_HYPERPARAMETERS,
  notebook: {
    ...DEFAULT_HYPERPARAMETERS,
    learningRate: 1e-4,
    momentum: 0,
    batchSize: 1,
    epochs: 20,
    hiddenSize: 128,
    optimizer: 'sgd',
    init: 'notebook',
    augment: 'off',
  },
} as const satisfies Record<string, Hyperparameters>;

export type PresetName = keyof typeof PRESETS;

export function isLive(name: HyperparameterName): boolean {
  return HYPERPARAMETER_SPEC[name].live;
}

/**
 * Checks one raw value against its setting. Strings (from a URL) are parsed; numbers are
 * range-checked, never silently clamped, so a bad value is reported rather than guessed at.
 */
export function parseSetting(
  name: HyperparameterName,
  raw: unknown,
): { ok: true; value: Hyperparameters[HyperparameterName] } | { ok: false; message: string } {
  const setting = HYPERPARAMETER_SPEC[name] as Setting;
  switch (setting.kind) {
    case 'number': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return { ok: false, message: `${setting.label} must be a number, got “${String(raw)}”.` };
      }
      if (setting.integer && !Number.isInteger(value)) {
        return { ok: false, message: `${setting.label} must be a whole number, got ${value}.` };
      }
      if (value < setting.min || value > setting.max) {
        return {
          ok: false,
          message: `${setting.label} must be between ${setting.min} and ${setting.max}, got ${value}.`,
        };
      }
      return { ok: true, value };
    }
    case 'choice': {
      if (typeof raw === 'string' && setting.options.includes(raw)) return { ok: true, value: raw as never };
      return {
        ok: false,
        message: `${setting.label} must be one of ${setting.options.join(', ')}, got “${String(raw)}”.`,
      };
    }
  }
}

export interface ValidatedPatch {
  readonly values: Partial<Hyperparameters>;
  readonly problems: readonly string[];
}

/** Validates a partial set of settings, keeping the good values and describing the bad. */
export function validatePatch(patch: Readonly<Record<string, unknown>>): ValidatedPatch {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(patch)) {
    if (!(key in HYPERPARAMETER_SPEC)) {
      problems.push(`Unknown setting “${key}”.`);
      continue;
    }
    const result = parseSetting(key as HyperparameterName, raw);
    if (result.ok) values[key] = result.value;
    else problems.push(result.message);
  }
  return { values: values as Partial<Hyperparameters>, problems };
}

/** The names whose change requires rebuilding the network. */
export function resetRequiredBy(before: Hyperparameters, after: Hyperparameters): HyperparameterName[] {
  return HYPERPARAMETER_NAMES.filter((name) => !isLive(name) && before[name] !== after[name]);
}
