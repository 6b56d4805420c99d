// Worker entry: builds the service and exposes it over Comlink. Nothing else lives here.
import { expose } from 'comlink';
import kernelsUrl from '../engine/wasm/build/kernels.wasm?url';
import sharedKernelsUrl from '../engine/wasm/build/kernels-shared.wasm?url';
import type { StartHelper } from '../engine/wasm/two-thread-backend';
import type { TrainerApi } from '../shared/trainer-api';
import { TrainerService, type ThreadSupport } from './trainer-service';
import { yieldToEventLoop } from './yield-to-event-loop';

async function compile(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The two-thread backend's helper: a worker nested in this one. */
const startNestedHelper: StartHelper = (init) => {
  const worker = new Worker(new URL('./gradient-helper.worker.ts', import.meta.url), { type: 'module' });
  worker.postMessage(init);
  return { terminate: () => worker.terminate() };
};

// SharedArrayBuffer, which the two threads share their memory through, exists only on a
// cross-origin isolated page.
const threadSupport: ThreadSupport | null = self.crossOriginIsolated
  ? { compileSharedKernels: () => compile(sharedKernelsUrl), startHelper: startNestedHelper }
  : null;

const service: TrainerApi = new TrainerService(
  { now: () => performance.now(), yieldToEventLoop },
  () => compile(kernelsUrl),
  threadSupport,
);
expose(service);
