// Worker entry: builds the service and exposes it over Comlink. Nothing else lives here.
import { expose } from 'comlink';
import kernelsUrl from '../engine/wasm/build/kernels.wasm?url';
import type { TrainerApi } from '../shared/trainer-api';
import { TrainerService } from './trainer-service';
import { yieldToEventLoop } from './yield-to-event-loop';

async function compileKernels(): Promise<WebAssembly.Module> {
  const response = await fetch(kernelsUrl);
  if (!response.ok) throw new Error(`kernels.wasm: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

const service: TrainerApi = new TrainerService({ now: () => performance.now(), yieldToEventLoop }, compileKernels);
expose(service);
