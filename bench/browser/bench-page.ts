// The bench page: runs each request in a fresh dedicated worker, forwards the worker's
// progress lines to the console (Node prints them) and resolves with its rows.

import { PROGRESS_PREFIX, type BenchRequest, type BenchResponse, type BenchWindow, type WorkerMessage } from './bench-messages';

function runBench(request: BenchRequest): Promise<BenchResponse> {
  const worker = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BenchResponse>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      switch (message.type) {
        case 'log':
          console.log(PROGRESS_PREFIX + message.line);
          break;
        case 'done':
          resolve({ rows: message.rows, crossOriginIsolated: crossOriginIsolated && message.crossOriginIsolated });
          break;
        case 'error':
          reject(new Error(message.message));
          break;
      }
    });
    worker.addEventListener('error', (event) => reject(new Error(`Worker failed to start or crashed: ${event.message}`)));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

(window as unknown as BenchWindow).runBench = runBench;
