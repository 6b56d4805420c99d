// The engine backends the bench measures, one row each. Adding a backend (e.g. the
// WebAssembly one once the Trainer can be built on it) is one more entry here; the Node
// run and the browser worker both loop over this table.

import type { LabeledImages } from '../src/engine/labeled-images';
import { Trainer, type TrainerConfig } from '../src/engine/trainer';
import type { MeasurableTrainer } from './measure-training';

export interface EngineBackend {
  /** Shown in the `backend` column. */
  readonly backend: string;
  /** Threads the backend trains on. */
  readonly workers: number;
  /** Async so a backend may compile WebAssembly first. */
  create(train: LabeledImages, config: TrainerConfig): Promise<MeasurableTrainer>;
}

export const ENGINE_BACKENDS: readonly EngineBackend[] = [
  {
    backend: 'typescript',
    workers: 1,
    create: (train, config) => Promise.resolve(new Trainer(train, config)),
  },
];
