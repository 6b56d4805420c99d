import { describe, expect, it } from 'vitest';
import { RunLoop } from './run-loop';

/** A clock that advances only when work says so, and counts yields. */
function fakeClock() {
  const clock = {
    time: 0,
    yields: 0,
    now: () => clock.time,
    yieldToEventLoop: async () => {
      clock.yields += 1;
    },
  };
  return clock;
}

describe('RunLoop', () => {
  it('gives each slice a deadline one slice ahead and yields between slices', async () => {
    const clock = fakeClock();
    const deadlines: number[] = [];
    const loop = new RunLoop(
      (deadline) => {
        deadlines.push(deadline);
        clock.time += 10;
        return deadlines.length < 3 ? 'continue' : 'stop';
      },
      clock,
      12,
    );
    await loop.start();
    expect(deadlines).toEqual([12, 22, 32]);
    expect(clock.yields).toBe(3);
    expect(loop.running).toBe(false);
  });

  it('stops after the current slice when asked, and can start again', async () => {
    const clock = fakeClock();
    let slices = 0;
    const loop = new RunLoop(() => {
      slices += 1;
      if (slices === 2) loop.stop();
      return 'continue';
    }, clock);
    await loop.start();
    expect(slices).toBe(2);
    slices = 0;
    await loop.start();
    expect(slices).toBe(2);
  });

  it('runs one loop however often start is called', async () => {
    const clock = fakeClock();
    let slices = 0;
    const loop = new RunLoop(() => (++slices >= 5 ? 'stop' : 'continue'), clock);
    const first = loop.start();
    const second = loop.start();
    await Promise.all([first, second]);
    expect(slices).toBe(5);
  });
});
