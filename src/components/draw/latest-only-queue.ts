// Keeps one classification in flight. While it runs, only the newest input waits: drawing
// produces inputs faster than a busy worker answers, and stale ones are not worth computing.

export type Outcome<I, O> =
  | { readonly ok: true; readonly input: I; readonly value: O }
  | { readonly ok: false; readonly input: I; readonly error: unknown };

export interface LatestOnlyQueue<I> {
  /** Runs `input` now, or when the request in flight settles, replacing any waiting input. */
  push(input: I): void;
  /** Drops the waiting input and ignores the outcome of the request in flight. */
  clear(): void;
}

export function createLatestOnlyQueue<I, O>(
  run: (input: I) => Promise<O>,
  onOutcome: (outcome: Outcome<I, O>) => void,
): LatestOnlyQueue<I> {
  let busy = false;
  let waiting: { readonly input: I } | null = null;
  // Bumped by clear(), so an answer for a drawing that was cleared is never shown.
  let generation = 0;

  function start(input: I): void {
    busy = true;
    const startedIn = generation;
    const report = (outcome: Outcome<I, O>): void => {
      if (startedIn === generation) onOutcome(outcome);
    };
    let pending: Promise<O>;
    try {
      pending = run(input);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending
      .then(
        (value) => report({ ok: true, input, value }),
        (error: unknown) => report({ ok: false, input, error }),
      )
      .finally(() => {
        busy = false;
        if (waiting !== null) {
          const next = waiting.input;
          waiting = null;
          start(next);
        }
      });
  }

  return {
    push(input) {
      if (busy) waiting = { input };
      else start(input);
    },
    clear() {
      generation++;
      waiting = null;
    },
  };
}
