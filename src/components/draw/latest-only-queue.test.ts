import { describe, expect, it } from 'vitest';
import { createLatestOnlyQueue, type Outcome } from './latest-only-queue';

/** A fake classifier whose answers the test releases one by one. */
function manualRunner() {
  const calls: { input: number; resolve: (value: string) => void; reject: (error: unknown) => void }[] = [];
  const run = (input: number) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ input, resolve, reject });
    });
  return { calls, run };
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('createLatestOnlyQueue', () => {
  it('keeps one request in flight and runs only the newest waiting input next', async () => {
    const { calls, run } = manualRunner();
    const outcomes: Outcome<number, string>[] = [];
    const queue = createLatestOnlyQueue(run, (o) => outcomes.push(o));
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(calls.map((c) => c.input)).toEqual([1]);

    calls[0].resolve('one');
    await settle();
    expect(outcomes).toEqual([{ ok: true, input: 1, value: 'one' }]);
    expect(calls.map((c) => c.input)).toEqual([1, 3]);

    calls[1].resolve('three');
    await settle();
    expect(outcomes.map((o) => o.input)).toEqual([1, 3]);
    expect(calls).toHaveLength(2);
  });

  it('runs again at once when pushed while idle', async () => {
    const { calls, run } = manualRunner();
    const queue = createLatestOnlyQueue(run, () => {});
    queue.push(1);
    calls[0].resolve('one');
    await settle();
    queue.push(2);
    expect(calls.map((c) => c.input)).toEqual([1, 2]);
  });

  it('reports failures and carries on with the next input', async () => {
    const { calls, run } = manualRunner();
    const outcomes: Outcome<number, string>[] = [];
    const queue = createLatestOnlyQueue(run, (o) => outcomes.push(o));
    queue.push(1);
    queue.push(2);
    calls[0].reject(new Error('worker died'));
    await settle();
    expect(outcomes[0]).toMatchObject({ ok: false, input: 1 });
    expect(outcomes[0].ok === false && (outcomes[0].error as Error).message).toBe('worker died');
    calls[1].resolve('two');
    await settle();
    expect(outcomes[1]).toEqual({ ok: true, input: 2, value: 'two' });
  });

  it('treats a classifier that throws synchronously as a failure', async () => {
    const outcomes: Outcome<number, string>[] = [];
    const queue = createLatestOnlyQueue<number, string>(
      () => {
        throw new Error('not ready');
      },
      (o) => outcomes.push(o),
    );
    queue.push(1);
    await settle();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].ok).toBe(false);
    queue.push(2);
    await settle();
    expect(outcomes.map((o) => o.input)).toEqual([1, 2]);
  });

  it('ignores the answer in flight and drops the waiting input after clear', async () => {
    const { calls, run } = manualRunner();
    const outcomes: Outcome<number, string>[] = [];
    const queue = createLatestOnlyQueue(run, (o) => outcomes.push(o));
    queue.push(1);
    queue.push(2);
    queue.clear();
    calls[0].resolve('one');
    await settle();
    expect(outcomes).toEqual([]);
    expect(calls).toHaveLength(1);

    queue.push(3);
    calls[1].resolve('three');
    await settle();
    expect(outcomes).toEqual([{ ok: true, input: 3, value: 'three' }]);
  });

  it('lets an input pushed after clear wait for the cleared request to finish', async () => {
    const { calls, run } = manualRunner();
    const outcomes: Outcome<number, string>[] = [];
    const queue = createLatestOnlyQueue(run, (o) => outcomes.push(o));
    queue.push(1);
    queue.clear();
    queue.push(2);
    expect(calls).toHaveLength(1);
    calls[0].resolve('one');
    await settle();
    expect(calls.map((c) => c.input)).toEqual([1, 2]);
    calls[1].resolve('two');
    await settle();
    expect(outcomes).toEqual([{ ok: true, input: 2, value: 'two' }]);
  });
});
