// Starts the two-thread backend's helper in Node: a worker_threads Worker that loads the
// TypeScript entry (node-gradient-helper.worker.ts) through tsx's loader API.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StartHelper } from '../src/engine/wasm/two-thread-backend';

// The ESM build of tsx's API (require.resolve would give the CommonJS one).
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
const ENTRY = new URL('./node-gradient-helper.worker.ts', import.meta.url).href;

export const startNodeHelper: StartHelper = (init) => {
  const source = `import(${JSON.stringify(TSX_API)}).then(({ tsImport }) => tsImport(${JSON.stringify(ENTRY)}, ${JSON.stringify(ENTRY)}));`;
  // Not unref'd: while the backend waits for it to start, nothing else keeps Node running.
  const worker = new Worker(source, { eval: true, workerData: init });
  return { terminate: () => void worker.terminate() };
};
