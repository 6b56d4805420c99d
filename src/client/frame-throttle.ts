// Calls `fn` at most once per animation frame, however often it is requested.

export interface FrameThrottled {
  (): void;
  /** Runs a pending call now. */
  flush(): void;
  cancel(): void;
}

export function throttleToFrame(
  fn: () => void,
  schedule: (callback: () => void) => number = (callback) => requestAnimationFrame(callback),
  unschedule: (handle: number) => void = (handle) => cancelAnimationFrame(handle),
): FrameThrottled {
  let handle: number | null = null;
  const run = () => {
    handle = null;
    fn();
  };
  const throttled = (() => {
    handle ??= schedule(run);
  }) as FrameThrottled;
  throttled.flush = () => {
    if (handle === null) return;
    unschedule(handle);
    run();
  };
  throttled.cancel = () => {
    if (handle !== null) unschedule(handle);
    handle = null;
  };
  return throttled;
}
