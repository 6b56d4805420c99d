// The engine backends the bench measures, one row each. Adding a backend is one more entry
// here; the Node run and the browser worker both loop over this table.

import type { LabeledImages } from '../src/engine/labeled-images';
import { Trainer, type TrainerConfig } from '../src/engine/trainer';
import { WasmBackend } from '../src/engine/wasm/wasm-backend';
import type { MeasurableTrainer } from './measure-training';

export interface EngineBackend {
  /** Shown in the `backend` column. */
  readonly backend: string;
  /** Threads the backend trains on. */
  readonly workers: number;
  /** Trains on augmented batches, as the app does by default; shown in the notes. */
  readonly augment: boolean;
  /** Async so a backend may compile WebAssembly first (how depends on the runtime). */
  create(train: LabeledImages, config: TrainerConfig, compileKernels: () => Promise<object>): Promise<MeasurableTrainer>;
}

const createWasmTrainer: EngineBackend['create'] = async (train, config, compileKernels) => {
  const kernels = await compileKernels();
  return new Trainer(train, {
    ...config,
    createBackend: (hiddenSize, optimizer) => new WasmBackend(kernels, hiddenSize, optimizer),
  });
};

export const ENGINE_BACKENDS: readonly EngineBackend[] = [
  {
    backend: 'typescript',
    workers: 1,
    augment: false,
    create: (train, config) => Promise.resolve(new Trainer(train, config)),
  },
  { backend: 'wasm-simd', workers: 1, augment: false, create: createWasmTrainer },
  // The same engine with the app's default augmentation: its cost is this row over the last.
  { backend: 'wasm-simd', workers: 1, augment: true, create: createWasmTrainer },
];
