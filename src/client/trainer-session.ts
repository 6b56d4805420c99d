// The page's side of the training worker: owns the worker's lifecycle (start, crash
// restart), routes its events into the metrics store and a small status snapshot, and
// turns every call's failure into a message instead of an unhandled rejection.

import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { Hyperparameters } from '../shared/hyperparameters';
import type {
  LabeledDrawing,
  LoadProgress,
  MnistUrls,
  StepUnit,
  TrainerApi,
  TrainerError,
  TrainerEvent,
  TrainingStatus,
} from '../shared/trainer-api';
import { throttleToFrame, type FrameThrottled } from './frame-throttle';
import { MetricsStore } from './metrics-store';

export interface SessionSnapshot {
  readonly status: TrainingStatus | null;
  readonly progress: LoadProgress | null;
  /** The problem the page should show, with its retry; null when all is well. */
  readonly error: TrainerError | null;
  /** Settings that were refused (from the URL or the worker), shown as a notice. */
  readonly notices: readonly string[];
}

export interface WorkerHandle {
  readonly endpoint: Worker;
  terminate(): void;
}

export class TrainerSession {
  readonly metrics = new MetricsStore();
  private worker: WorkerHandle | null = null;
  private api: Remote<TrainerApi> | null = null;
  private snapshot: SessionSnapshot = { status: null, progress: null, error: null, notices: [] };
  private readonly listeners = new Set<() => void>();
  private readonly notify: FrameThrottled;
  /** The settings the user asked for; re-sent if the worker has to be restarted. */
  private requested: Partial<Hyperparameters> = {};
  /** The user's labelled drawings; re-sent if the worker has to be restarted. */
  private userSamples: readonly LabeledDrawing[] = [];

  constructor(
    private readonly createWorker: () => WorkerHandle,
    private readonly dataUrls: MnistUrls,
  ) {
    this.notify = throttleToFrame(() => this.listeners.forEach((listener) => listener()));
  }

  /** Starts the worker and the data download. */
  open(initial: Partial<Hyperparameters>, notices: readonly string[]): void {
    this.requested = { ...initial };
    this.update({ notices });
    this.boot();
  }

  close(): void {
    this.notify.cancel();
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  start(): Promise<void> {
    return this.call((api) => api.start());
  }

  pause(): Promise<void> {
    return this.call((api) => api.pause());
  }

  step(unit: StepUnit): Promise<void> {
    return this.call((api) => api.step(unit));
  }

  reset(): Promise<void> {
    this.clearError('diverged');
    return this.call((api) => api.reset());
  }

  setHyperparameters(patch: Partial<Hyperparameters>): Promise<void> {
    this.requested = { ...this.requested, ...patch };
    return this.call((api) => api.setHyperparameters(patch));
  }

  /** Replaces the user's drawings in the training stream; kept for a restarted worker too. */
  setUserSamples(samples: readonly LabeledDrawing[]): Promise<void> {
    this.userSamples = samples;
    return this.call((api) => api.setUserSamples(samples));
  }

  /** Resolves with ten probabilities; rejects when the network is not ready. */
  async predict(pixels: Float32Array): Promise<Float32Array> {
    if (this.api === null) throw new Error('The training worker is not running.');
    const copy = pixels.slice();
    const prediction = await this.api.predict(transfer(copy, [copy.buffer]));
    return prediction.probabilities;
  }

  /** Acts on the shown error: reloads the data, or resumes after a divergence. */
  retry(): Promise<void> {
    const error = this.snapshot.error;
    this.update({ error: null, progress: null });
    if (error?.code === 'diverged') {
      const lowered = Math.max(1e-5, (this.snapshot.status?.hyperparameters.learningRate ?? 0.01) / 10);
      return this.setHyperparameters({ learningRate: lowered });
    }
    if (this.api === null) {
      this.boot();
      return Promise.resolve();
    }
    return this.call((api) => api.loadData(this.dataUrls));
  }

  dismissNotices(): void {
    this.update({ notices: [] });
  }

  private boot(): void {
    const worker = this.createWorker();
    this.worker = worker;
    const api = wrap<TrainerApi>(worker.endpoint);
    this.api = api;
    worker.endpoint.addEventListener('error', (event) => {
      event.preventDefault();
      this.restartAfterCrash(worker, event.message);
    });
    void this.call(async () => {
      await api.subscribe(proxy((event: TrainerEvent) => this.handle(event)));
      await api.setHyperparameters(this.requested);
      if (this.userSamples.length > 0) await api.setUserSamples(this.userSamples);
      await api.loadData(this.dataUrls);
    });
  }

  private restartAfterCrash(crashed: WorkerHandle, reason: string): void {
    if (this.worker !== crashed) return;
    crashed.terminate();
    this.update({
      error: {
        code: 'internal',
        message: `The training worker stopped unexpectedly (${reason || 'no details'}) and was restarted; training starts over.`,
      },
    });
    this.boot();
  }

  private handle(event: TrainerEvent): void {
    switch (event.type) {
      case 'status':
        this.metrics.startRun(event.status.runId);
        this.update({ status: event.status });
        return;
      case 'progress':
        this.update({ progress: event.progress });
        return;
      case 'metrics':
        this.metrics.append(event.batch);
        return;
      case 'error':
        this.update({ error: event.error });
        return;
      case 'notice':
        this.update({ notices: [...this.snapshot.notices, ...event.messages] });
        return;
    }
  }

  private async call(action: (api: Remote<TrainerApi>) => Promise<void>): Promise<void> {
    const api = this.api;
    if (api === null) return;
    try {
      await action(api);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.update({ error: { code: 'internal', message } });
    }
  }

  private clearError(code: TrainerError['code']): void {
    if (this.snapshot.error?.code === code) this.update({ error: null });
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.notify();
  }
}
