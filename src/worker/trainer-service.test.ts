// The worker's logic in Node, on the real MNIST files served over loopback HTTP, exactly
// as the page's worker gets them.

import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMETERS } from '../shared/hyperparameters';
import { MNIST_FILES } from '../shared/mnist-files';
import type { MnistUrls, TrainerEvent, TrainingStatus } from '../shared/trainer-api';
import { startNodeHelper } from '../../bench/node-gradient-helper';
import { TrainerService } from './trainer-service';

const mnistDir = resolve(process.env.MNIST_DIR ?? 'public/mnist');

function serveDirectory(directory: string): Promise<Server> {
  const server = createServer((request, response) => {
    const file = join(directory, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(directory) || !existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/gzip' });
    createReadStream(file).pipe(response);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

function urlsFor(base: string, override: Partial<Record<keyof MnistUrls, string>> = {}): MnistUrls {
  const urls = Object.fromEntries(MNIST_FILES.map((info) => [info.role, `${base}/${info.fileName}`])) as Record<
    keyof MnistUrls,
    string
  >;
  return { ...urls, ...override };
}

class Recorder {
  readonly events: TrainerEvent[] = [];
  readonly listener = (event: TrainerEvent) => void this.events.push(event);

  get status(): TrainingStatus {
    const last = this.events.findLast((event) => event.type === 'status');
    if (last?.type !== 'status') throw new Error('no status yet');
    return last.status;
  }

  of<T extends TrainerEvent['type']>(type: T): Extract<TrainerEvent, { type: T }>[] {
    return this.events.filter((event): event is Extract<TrainerEvent, { type: T }> => event.type === type);
  }
}

const kernelsPath = 'src/engine/wasm/build/kernels.wasm';
const compileKernels = () => WebAssembly.compile(readFileSync(kernelsPath));

function newService(compile: () => Promise<object> = compileKernels): TrainerService {
  return new TrainerService(
    { now: () => performance.now(), yieldToEventLoop: () => new Promise((done) => setImmediate(done)) },
    compile,
  );
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 5));
  }
}

describe('TrainerService', () => {
  let server: Server;
  let base: string;
  const service = newService();
  const recorder = new Recorder();

  beforeAll(async () => {
    if (!MNIST_FILES.every((info) => existsSync(join(mnistDir, info.fileName)))) {
      throw new Error(`The MNIST files are not in ${mnistDir}: set MNIST_DIR or run the install step.`);
    }
    server = await serveDirectory(mnistDir);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await service.subscribe(recorder.listener);
    await service.loadData(urlsFor(base));
  });

  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('loads the data with byte progress and becomes ready', () => {
    const progress = recorder.of('progress').map((event) => event.progress);
    const downloads = progress.filter((entry) => entry.phase === 'download');
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.at(-1)!.loadedBytes).toBeGreaterThan(10_000_000);
    expect(progress.at(-1)!.phase).toBe('done');
    expect(recorder.status).toMatchObject({ state: 'ready', samplesSeen: 0, epoch: 0, backend: 'wasm-simd' });
    expect(recorder.status.hyperparameters).toEqual(DEFAULT_HYPERPARAMETERS);
  });

  it('steps exactly one batch and reports its point', async () => {
    const metricsBefore = recorder.of('metrics').length;
    await service.step('batch');
    expect(recorder.status).toMatchObject({ state: 'paused', samplesSeen: 64 });
    const batches = recorder.of('metrics').slice(metricsBefore);
    expect(batches).toHaveLength(1);
    const [batch] = batches.map((event) => event.batch);
    expect(Array.from(batch!.trainSamples)).toEqual([64]);
    expect(batch!.trainLoss[0]).toBeGreaterThan(1.5); // an untrained 10-class net: about ln 10
    expect(batch!.trainLoss[0]).toBeLessThan(3.5);
  });

  it('applies a live learning rate without a reset and rejects bad values', async () => {
    const runId = recorder.status.runId;
    await service.setHyperparameters({ learningRate: 0.01 });
    expect(recorder.status).toMatchObject({ runId, samplesSeen: 64 });
    expect(recorder.status.hyperparameters.learningRate).toBe(0.01);

    await service.setHyperparameters({ learningRate: Number.NaN, momentum: 0.5 });
    expect(recorder.of('notice').at(-1)!.messages[0]).toMatch(/Learning rate must be a number/);
    expect(recorder.status.hyperparameters).toMatchObject({ learningRate: 0.01, momentum: 0.5 });
  });

  it('trains in time slices until paused, streaming metrics and evaluations', async () => {
    const training = service.start();
    await waitFor(() => recorder.status.state === 'training');
    const evaluationCount = () => recorder.of('metrics').flatMap((event) => event.batch.evaluations).length;
    await waitFor(() => evaluationCount() >= 2, 60_000);
    await service.pause();
    await training;
    const paused = recorder.status;
    expect(paused.state).toBe('paused');
    expect(paused.samplesSeen).toBeGreaterThanOrEqual(13_500);

    const evaluations = recorder.of('metrics').flatMap((event) => event.batch.evaluations);
    const validation = evaluations.find((point) => point.split === 'validation')!;
    const test = evaluations.find((point) => point.split === 'test')!;
    expect(validation.samplesSeen).toBe(test.samplesSeen);
    expect(validation.accuracy).toBeGreaterThan(0.75);
    expect(test.accuracy).toBeGreaterThan(0.75);

    // Nothing moves while paused.
    await new Promise((done) => setTimeout(done, 50));
    expect(recorder.status.samplesSeen).toBe(paused.samplesSeen);
  });

  it('classifies 784 pixels and refuses anything else', async () => {
    const prediction = await service.predict(new Float32Array(784).fill(0.1));
    expect(prediction.probabilities).toHaveLength(10);
    expect(prediction.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    await expect(service.predict(new Float32Array(10))).rejects.toThrow(/784/);
    await expect(service.predict(new Float32Array(784).fill(Number.NaN))).rejects.toThrow(/0\.\.1/);
  });

  it('trains on the user\'s own labelled drawings until it reads them, across resets', async () => {
    // Two test digits in negative (white paper, dark ink): unlike anything in MNIST, so only
    // the user's samples can teach the network what they are.
    const images = gunzipSync(readFileSync(join(mnistDir, 't10k-images-idx3-ubyte.gz'))).subarray(16);
    const drawings = [0, 1].map((index) => ({
      label: 3 + index,
      pixels: images.slice(index * 784, (index + 1) * 784).map((value) => 255 - value),
    }));
    await service.setUserSamples(drawings);
    expect(recorder.status.userSamples.count).toBe(2);

    const training = service.start();
    await waitFor(() => recorder.status.userSamples.learned === 2, 60_000);
    await service.pause();
    await training;

    await service.reset();
    expect(recorder.status.userSamples.count).toBe(2);

    await expect(service.setUserSamples([{ label: 12, pixels: new Uint8Array(784) }])).rejects.toThrow(/digits 0–9/);
    await expect(service.setUserSamples([{ label: 3, pixels: new Uint8Array(10) }])).rejects.toThrow(/784 bytes/);
    expect(recorder.status.userSamples.count).toBe(2);
    await service.setUserSamples([]);
    expect(recorder.status.userSamples).toEqual({ count: 0, learned: 0 });
  });

  it('steps a whole batch after a pause that left an evaluation unfinished', async () => {
    // A clock that moves 10 ms per reading and yields only when told: every slice is short
    // and the test decides when the next one runs.
    let timeMs = 0;
    let nextSlice: (() => void) | null = null;
    const fresh = new TrainerService(
      { now: () => (timeMs += 10), yieldToEventLoop: () => new Promise<void>((resolve) => (nextSlice = resolve)) },
      compileKernels,
    );
    const events = new Recorder();
    await fresh.subscribe(events.listener);
    await fresh.loadData(urlsFor(base));
    const runSlicesUntil = async (done: () => boolean) => {
      while (!done()) {
        const release = nextSlice;
        nextSlice = null;
        release?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    // Train up to the first quarter epoch: its evaluation starts and takes many slices.
    const running = fresh.start();
    await runSlicesUntil(() => events.status.samplesSeen >= 54_000 / 4);
    const pausedAt = events.status.samplesSeen;
    await fresh.pause();
    let finished = false;
    void running.then(() => (finished = true));
    await runSlicesUntil(() => finished);
    const evaluatedAt = () => events.of('metrics').flatMap((event) => event.batch.evaluations.map((point) => point.samplesSeen));
    expect(evaluatedAt()).not.toContain(pausedAt);

    let stepped = false;
    void fresh.step('batch').then(() => (stepped = true));
    await runSlicesUntil(() => stepped);
    expect(evaluatedAt()).toContain(pausedAt);
    expect(events.status).toMatchObject({ state: 'paused', samplesSeen: pausedAt + 64 });
  });

  it('starts a new run when a structural setting changes', async () => {
    const runId = recorder.status.runId;
    await service.setHyperparameters({ hiddenSize: 32 });
    expect(recorder.status).toMatchObject({ state: 'ready', samplesSeen: 0, runId: runId + 1 });
    expect(recorder.status.hyperparameters.hiddenSize).toBe(32);
  });

  it('switches between the WebAssembly and TypeScript engines', async () => {
    await service.setHyperparameters({ backend: 'typescript' });
    expect(recorder.status.backend).toBe('typescript');
    await service.step('batch');
    await service.setHyperparameters({ backend: 'wasm' });
    expect(recorder.status).toMatchObject({ backend: 'wasm-simd', samplesSeen: 0 });
  });

  it('trains on two threads where SharedArrayBuffer exists, on one thread with a notice where not', async () => {
    const compileShared = () => WebAssembly.compile(readFileSync('src/engine/wasm/build/kernels-shared.wasm'));
    const threaded = new TrainerService(
      { now: () => performance.now(), yieldToEventLoop: () => new Promise((done) => setImmediate(done)) },
      compileKernels,
      { compileSharedKernels: compileShared, startHelper: startNodeHelper },
    );
    const events = new Recorder();
    await threaded.subscribe(events.listener);
    await threaded.loadData(urlsFor(base));
    await threaded.setHyperparameters({ backend: 'wasm-threads' });
    expect(events.status.backend).toBe('wasm-simd-2');
    // The helper starts in the background; batches run on one thread until it is up.
    await waitFor(() => {
      void threaded.step('batch');
      return events.status.workers === 2;
    });
    // Back to one thread: the rebuilt network stops the helper.
    await threaded.setHyperparameters({ backend: 'wasm' });
    expect(events.status).toMatchObject({ backend: 'wasm-simd', workers: 1 });

    const unthreaded = newService();
    const plain = new Recorder();
    await unthreaded.subscribe(plain.listener);
    await unthreaded.loadData(urlsFor(base));
    await unthreaded.setHyperparameters({ backend: 'wasm-threads' });
    expect(plain.status).toMatchObject({ backend: 'wasm-simd', workers: 1 });
    expect(plain.of('notice').at(-1)!.messages[0]).toMatch(/SharedArrayBuffer.*one thread/);
  });

  it('falls back to the TypeScript engine when the kernels cannot be compiled', async () => {
    const fresh = newService(() => Promise.reject(new Error('no SIMD')));
    const events = new Recorder();
    await fresh.subscribe(events.listener);
    await fresh.loadData(urlsFor(base));
    expect(events.status).toMatchObject({ state: 'ready', backend: 'typescript' });
    expect(events.of('notice')[0]!.messages[0]).toMatch(/no SIMD.*TypeScript engine/);
    await fresh.step('batch');
    expect(events.status.samplesSeen).toBe(64);
  });

  it('reports a missing file by name and recovers on retry', async () => {
    const fresh = newService();
    const events = new Recorder();
    await fresh.subscribe(events.listener);
    await fresh.loadData(urlsFor(base, { testLabels: `${base}/missing.gz` }));
    expect(events.status.state).toBe('error');
    const error = events.of('error').at(-1)!.error;
    expect(error.code).toBe('data-missing');
    expect(error.file).toBe('t10k-labels-idx1-ubyte.gz');
    expect(error.message).toContain('t10k-labels-idx1-ubyte.gz');

    await fresh.loadData(urlsFor(base));
    expect(events.status.state).toBe('ready');
  });
});
