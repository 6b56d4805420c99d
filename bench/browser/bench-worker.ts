// The dedicated worker that trains: our engine through the same runEngineBackends as Node,
// or TF.js through the same measuring loop. TF.js is loaded only for its own run.

import { defaultTrainerConfig, measureOn, runEngineBackends } from '../run-engine';
import type { BenchRow } from '../bench-report';
import type { BenchRequest, WorkerMessage } from './bench-messages';
import { fetchMnist } from './fetch-mnist';
import kernelsUrl from '../../src/engine/wasm/build/kernels.wasm?url';
import sharedKernelsUrl from '../../src/engine/wasm/build/kernels-shared.wasm?url';
import type { StartHelper } from '../../src/engine/wasm/two-thread-backend';

// This folder compiles with the DOM lib, not WebWorker; these are the worker globals used.
interface WorkerScope {
  readonly crossOriginIsolated: boolean;
  readonly navigator: { readonly hardwareConcurrency: number };
  postMessage(message: WorkerMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<BenchRequest>) => void): void;
}

const scope = self as unknown as WorkerScope;

/** The two-thread backend's helper: a nested dedicated worker. */
const startNestedHelper: StartHelper = (init) => {
  const worker = new Worker(new URL('../../src/worker/gradient-helper.worker.ts', import.meta.url), { type: 'module' });
  worker.postMessage(init);
  return { terminate: () => worker.terminate() };
};
const log = (line: string) => scope.postMessage({ type: 'log', line });

async function run(request: BenchRequest): Promise<BenchRow[]> {
  const sets = await fetchMnist(request.mnistBaseUrl);
  if (request.kind === 'engine') {
    const compile = async (url: string) => WebAssembly.compile(await (await fetch(url)).arrayBuffer());
    return runEngineBackends(sets.train, sets.test, request, 'chromium', log, {
      compileKernels: () => compile(kernelsUrl),
      compileSharedKernels: () => compile(sharedKernelsUrl),
      startHelper: scope.crossOriginIsolated ? startNestedHelper : null,
    });
  }
  const { TfjsTrainer, useTfjsWasm } = await import('./tfjs-trainer');
  const wasm = await useTfjsWasm(request.wasmPathPrefix, scope.navigator.hardwareConcurrency);
  log(`TF.js wasm backend: ${wasm.flavour}, ${wasm.threads} thread(s) (asked for ${scope.navigator.hardwareConcurrency})`);
  const trainer = new TfjsTrainer(sets.train, defaultTrainerConfig(request.batchSize));
  const measured = measureOn(trainer, sets.train, sets.test, request.epochs, log, 'chromium/tfjs-wasm');
  return [
    {
      ...measured,
      runtime: 'chromium',
      engine: 'tfjs',
      backend: 'tfjs-wasm',
      workers: wasm.threads,
      notes: `tfjs ${wasm.flavour}`,
    },
  ];
}

scope.addEventListener('message', (event) => {
  run(event.data).then(
    (rows) => scope.postMessage({ type: 'done', rows, crossOriginIsolated: scope.crossOriginIsolated }),
    (error: unknown) => {
      const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
      scope.postMessage({ type: 'error', message });
    },
  );
});
