// What Node asks the bench page for and what comes back, through page → worker → page.

import type { BenchRow } from '../bench-report';

export type BenchRequest =
  | { kind: 'engine'; epochs: number; batchSize: number; mnistBaseUrl: string }
  | { kind: 'tfjs'; epochs: number; batchSize: number; mnistBaseUrl: string; wasmPathPrefix: string };

export type WorkerMessage =
  | { type: 'log'; line: string }
  | { type: 'done'; rows: BenchRow[]; crossOriginIsolated: boolean }
  | { type: 'error'; message: string };

export interface BenchResponse {
  rows: BenchRow[];
  /** Both the page and its worker were cross-origin isolated (SharedArrayBuffer usable). */
  crossOriginIsolated: boolean;
}

/** Lines the page logs for Node to print while a run is going. */
export const PROGRESS_PREFIX = '[bench] ';

/** The page puts this function on window; Node calls it through page.evaluate. */
export interface BenchWindow {
  runBench(request: BenchRequest): Promise<BenchResponse>;
}
