// The engine backends the bench measures, one row each. Adding a backend is one more entry
// here; the Node run and the browser worker both loop over this table.

import type { LabeledImages } from '../src/engine/labeled-images';
import { Trainer, type TrainerConfig } from '../src/engine/trainer';
import { TwoThreadWasmBackend, type StartHelper } from '../src/engine/wasm/two-thread-backend';
import { WasmBackend } from '../src/engine/wasm/wasm-backend';
import type { MeasurableTrainer } from './measure-training';

/** What differs between Node and the browser worker: how to get kernels and threads. */
export interface EngineRuntime {
  compileKernels(): Promise<object>;
  /** kernels-shared.wasm, for the two-thread backend. */
  compileSharedKernels(): Promise<object>;
  /** Null where threads cannot share memory (no cross-origin isolation). */
  readonly startHelper: StartHelper | null;
}

/** A trainer to measure, and how to stop any thread it started. */
export interface CreatedTrainer {
  readonly trainer: MeasurableTrainer;
  dispose(): void;
}

export interface EngineBackend {
  /** Shown in the `backend` column. */
  readonly backend: string;
  /** Threads the backend trains on. */
  readonly workers: number;
  /** Trains on augmented batches, as the app does by default; shown in the notes. */
  readonly augment: boolean;
  /** Async so a backend may compile WebAssembly or start threads first (how depends on the runtime). */
  create(train: LabeledImages, config: TrainerConfig, runtime: EngineRuntime): Promise<CreatedTrainer>;
}

const createWasmTrainer: EngineBackend['create'] = async (train, config, runtime) => {
  const kernels = await runtime.compileKernels();
  const trainer = new Trainer(train, {
    ...config,
    createBackend: (hiddenSize, optimizer) => new WasmBackend(kernels, hiddenSize, optimizer),
  });
  return { trainer, dispose: () => {} };
};

const createTwoThreadTrainer: EngineBackend['create'] = async (train, config, runtime) => {
  if (runtime.startHelper === null) throw new Error('wasm-simd-2 needs SharedArrayBuffer (cross-origin isolation)');
  const backend = await TwoThreadWasmBackend.create(await runtime.compileSharedKernels(), config.hiddenSize, config.optimizer, runtime.startHelper);
  const trainer = new Trainer(train, { ...config, createBackend: () => backend });
  return { trainer, dispose: () => backend.dispose() };
};

export const ENGINE_BACKENDS: readonly EngineBackend[] = [
  {
    backend: 'typescript',
    workers: 1,
    augment: false,
    create: (train, config) => Promise.resolve({ trainer: new Trainer(train, config), dispose: () => {} }),
  },
  { backend: 'wasm-simd', workers: 1, augment: false, create: createWasmTrainer },
  { backend: 'wasm-simd-2', workers: 2, augment: false, create: createTwoThreadTrainer },
  // The same engines with the app's default augmentation: its cost is these rows over the ones above.
  { backend: 'wasm-simd', workers: 1, augment: true, create: createWasmTrainer },
  { backend: 'wasm-simd-2', workers: 2, augment: true, create: createTwoThreadTrainer },
];
