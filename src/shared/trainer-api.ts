// The contract between the page and the training worker. Both sides compile against this
// file only; neither imports the other's implementation. Payloads are plain data and typed
// arrays so they survive structured cloning; the one function crossing is the listener.

import type { Hyperparameters } from './hyperparameters';
import type { MnistFileRole } from './mnist-files';
import type { MetricsBatch } from './metrics-batch';

export type TrainingState = 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'error';

export type StepUnit = 'batch' | 'epoch';

/** Absolute URLs of the four gzipped files (a worker resolves relative URLs against itself). */
export type MnistUrls = Readonly<Record<MnistFileRole, string>>;

export interface TrainingStatus {
  readonly state: TrainingState;
  /** Changes on every reset; metrics of an older run are stale. */
  readonly runId: number;
  /** Completed epochs plus the fraction of the current one. */
  readonly epoch: number;
  readonly samplesSeen: number;
  /** Measured over the last second or so of training; 0 when idle. */
  readonly samplesPerSec: number;
  readonly hyperparameters: Hyperparameters;
  /** Name of the compute backend in use: "wasm-simd" or "typescript". */
  readonly backend: string;
  /** How many workers compute gradients in parallel. */
  readonly workers: number;
  readonly userSamples: UserSamplesStatus;
}

/** Enough for a thorough personal set while keeping the worker's extra data tiny. */
export const MAX_USER_SAMPLES = 500;

/** A drawing the user labelled, as the 28×28 image the network saw (bytes 0..255, row-major). */
export interface LabeledDrawing {
  readonly label: number;
  readonly pixels: Uint8Array;
}

/** A labelled drawing as the page keeps it (IndexedDB) and lists it. */
export interface UserSample extends LabeledDrawing {
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly addedAt: number;
}

export interface UserSamplesStatus {
  /** Drawings in the training stream. */
  readonly count: number;
  /** Of those, how many the network classifies correctly right now (unaugmented). */
  readonly learned: number;
}

export interface LoadProgress {
  readonly loadedBytes: number;
  /** 0 while any file's size is still unknown. */
  readonly totalBytes: number;
  readonly phase: 'download' | 'decompress' | 'parse' | 'done';
}

export type TrainerErrorCode =
  | 'data-missing'
  | 'data-corrupt'
  | 'data-network'
  | 'diverged'
  | 'bad-settings'
  | 'bad-input'
  | 'internal';

export interface TrainerError {
  readonly code: TrainerErrorCode;
  readonly message: string;
  /** The data file concerned, when there is one. */
  readonly file?: string;
}

export type TrainerEvent =
  | { readonly type: 'status'; readonly status: TrainingStatus }
  | { readonly type: 'progress'; readonly progress: LoadProgress }
  | { readonly type: 'metrics'; readonly batch: MetricsBatch }
  | { readonly type: 'error'; readonly error: TrainerError }
  /** Something the user should know that stops nothing: refused settings, a fallback. */
  | { readonly type: 'notice'; readonly messages: readonly string[] };

export type TrainerListener = (event: TrainerEvent) => void;

export interface Prediction {
  /** Ten class probabilities summing to 1. */
  readonly probabilities: Float32Array;
  /** How many training samples the network had seen when it answered. */
  readonly samplesSeen: number;
}

export interface TrainerApi {
  /** Registers the single listener; the current status is sent to it at once. */
  subscribe(listener: TrainerListener): Promise<void>;
  /** Fetches, decompresses and parses the data; safe to call again after an error. */
  loadData(urls: MnistUrls): Promise<void>;
  start(): Promise<void>;
  pause(): Promise<void>;
  /** Trains exactly one batch or one epoch, then pauses. */
  step(unit: StepUnit): Promise<void>;
  /** Rebuilds the network from the current settings and seed; keeps the data. */
  reset(): Promise<void>;
  /** Live settings apply from the next batch; the others reset the network. */
  setHyperparameters(patch: Partial<Hyperparameters>): Promise<void>;
  /**
   * Replaces the user's own labelled drawings in the training stream (augmented variants of
   * them are mixed into training). Kept across reset; an empty list removes them.
   */
  setUserSamples(samples: readonly LabeledDrawing[]): Promise<void>;
  /** Classifies a 28×28 image given as 784 intensities in 0..1, row-major. */
  predict(pixels: Float32Array): Promise<Prediction>;
}
