// Runs work in short time slices and yields between them, so messages queued by the page
// (pause, a learning-rate change, predict) are served within one slice at any speed.

export type SliceOutcome = 'continue' | 'stop';

export interface RunLoopClock {
  now(): number;
  yieldToEventLoop(): Promise<void>;
}

export class RunLoop {
  private active = false;
  private loopPromise: Promise<void> | null = null;

  constructor(
    /** Does work until `deadlineMs` (on the clock's scale), then reports whether to go on. */
    private readonly runSlice: (deadlineMs: number) => SliceOutcome,
    private readonly clock: RunLoopClock,
    private readonly sliceMs = 12,
  ) {}

  get running(): boolean {
    return this.active;
  }

  /** Starts the loop if it is not already running; resolves when it stops. */
  start(): Promise<void> {
    this.active = true;
    this.loopPromise ??= this.loop().finally(() => {
      this.loopPromise = null;
    });
    return this.loopPromise;
  }

  /** The slice in progress finishes; no further slice starts. */
  stop(): void {
    this.active = false;
  }

  private async loop(): Promise<void> {
    while (this.active) {
      const outcome = this.runSlice(this.clock.now() + this.sliceMs);
      if (outcome === 'stop') this.active = false;
      await this.clock.yieldToEventLoop();
    }
  }
}
