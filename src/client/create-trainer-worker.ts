// Where the page finds the worker and the data: by URL only, never by import.

import { MNIST_FILES, MNIST_PUBLIC_DIR } from '../shared/mnist-files';
import type { MnistUrls } from '../shared/trainer-api';
import type { WorkerHandle } from './trainer-session';

export function createTrainerWorker(): WorkerHandle {
  const endpoint = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'trainer',
  });
  return { endpoint, terminate: () => endpoint.terminate() };
}

/** Absolute URLs, because a worker resolves relative ones against its own script. */
export function mnistUrls(pageUrl: string = location.href): MnistUrls {
  const base = new URL(`${import.meta.env.BASE_URL}${MNIST_PUBLIC_DIR}/`, pageUrl);
  return Object.fromEntries(MNIST_FILES.map((info) => [info.role, new URL(info.fileName, base).href])) as MnistUrls;
}
