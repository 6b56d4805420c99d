import { expose } from 'comlink';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabeledDrawing, MnistUrls, TrainerApi } from '../shared/trainer-api';
import { TrainerSession, type WorkerHandle } from './trainer-session';

const URLS: MnistUrls = {
  trainImages: 'http://test/train-images.gz',
  trainLabels: 'http://test/train-labels.gz',
  testImages: 'http://test/test-images.gz',
  testLabels: 'http://test/test-labels.gz',
};

/** A worker stand-in: a Comlink endpoint whose API records the calls it receives. */
interface FakeWorker {
  readonly handle: WorkerHandle;
  readonly calls: string[];
  readonly userSamples: (readonly LabeledDrawing[])[];
  crash(): void;
}

function fakeWorker(): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  const calls: string[] = [];
  const userSamples: (readonly LabeledDrawing[])[] = [];
  const api: TrainerApi = {
    async subscribe() {
      calls.push('subscribe');
    },
    async loadData() {
      calls.push('loadData');
    },
    async start() {},
    async pause() {},
    async step() {},
    async reset() {},
    async setHyperparameters() {
      calls.push('setHyperparameters');
    },
    async setUserSamples(samples) {
      calls.push('setUserSamples');
      userSamples.push(samples);
    },
    async predict() {
      return { probabilities: new Float32Array(10), samplesSeen: 0 };
    },
  };
  expose(api, port2 as unknown as Worker);
  return {
    handle: {
      endpoint: port1 as unknown as Worker,
      terminate: () => {
        port1.close();
        port2.close();
      },
    },
    calls,
    userSamples,
    crash() {
      const event = Object.assign(new Event('error', { cancelable: true }), { message: 'out of memory' });
      (port1 as MessagePort & EventTarget).dispatchEvent(event);
    },
  };
}

function drawing(label: number): LabeledDrawing {
  return { label, pixels: new Uint8Array(784).fill(label) };
}

describe('TrainerSession and the user samples', () => {
  let workers: FakeWorker[];
  let session: TrainerSession;

  beforeEach(() => {
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => setTimeout(callback, 0));
    vi.stubGlobal('cancelAnimationFrame', (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle));
    workers = [];
    session = new TrainerSession(() => {
      const worker = fakeWorker();
      workers.push(worker);
      return worker.handle;
    }, URLS);
  });

  afterEach(() => {
    session.close();
    vi.unstubAllGlobals();
  });

  it('sends samples set before the worker starts once it has subscribed', async () => {
    void session.setUserSamples([drawing(3)]);
    session.open({}, []);
    await vi.waitFor(() => expect(workers[0]!.calls).toContain('loadData'));
    expect(workers[0]!.calls).toEqual(['subscribe', 'setHyperparameters', 'setUserSamples', 'loadData']);
    expect(workers[0]!.userSamples.at(-1)!.map((sample) => sample.label)).toEqual([3]);
  });

  it('re-sends the latest samples to a worker restarted after a crash', async () => {
    session.open({}, []);
    await vi.waitFor(() => expect(workers[0]!.calls).toContain('loadData'));
    expect(workers[0]!.calls).not.toContain('setUserSamples');

    await session.setUserSamples([drawing(1)]);
    await session.setUserSamples([drawing(1), drawing(7)]);
    expect(workers[0]!.userSamples.map((list) => list.length)).toEqual([1, 2]);

    workers[0]!.crash();
    await vi.waitFor(() => expect(workers[1]?.calls).toContain('loadData'));
    expect(workers[1]!.calls).toEqual(['subscribe', 'setHyperparameters', 'setUserSamples', 'loadData']);
    const resent = workers[1]!.userSamples[0]!;
    expect(resent.map((sample) => sample.label)).toEqual([1, 7]);
    expect(resent[1]!.pixels).toEqual(new Uint8Array(784).fill(7));
    expect(session.getSnapshot().error?.message).toMatch(/restarted/);
  });

  it('does not send an emptied list to a restarted worker, which starts with none', async () => {
    session.open({}, []);
    await session.setUserSamples([drawing(2)]);
    await session.setUserSamples([]);
    await vi.waitFor(() => expect(workers[0]!.calls).toContain('loadData'));
    workers[0]!.crash();
    await vi.waitFor(() => expect(workers[1]?.calls).toContain('loadData'));
    expect(workers[1]!.calls).not.toContain('setUserSamples');
  });
});
