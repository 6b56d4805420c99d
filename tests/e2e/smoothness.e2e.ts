// The page stays smooth while the network trains at full speed: no long task on the main
// thread, and the draw pad paints a stroke by the next frame.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type BrowserSession } from '../support/chromium';
import { numberAttribute, waitForState } from '../support/page-helpers';

const baseUrl = inject('baseUrl');

interface PageTiming {
  longTasks: { start: number; duration: number }[];
  pointerToFrameMs: number[];
}

describe('smoothness at full training speed', () => {
  let browser: BrowserSession;

  beforeAll(async () => {
    browser = await openBrowser();
    await browser.page.addInitScript(() => {
      const timing: PageTiming = { longTasks: [], pointerToFrameMs: [] };
      (window as unknown as { timing: PageTiming }).timing = timing;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) timing.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  // A chart update costs 15–25 ms of main-thread CPU; on a shared 2-core machine another
  // process can stretch one past 50 ms of wall time, so a run gets two more chances.
  it('has no main-thread task over 50 ms and paints strokes within a frame', { retry: 2 }, async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}?autostart=1&epochs=50`);
    await waitForState(page, ['training'], 60_000);
    // Measure in the steady state: the first evaluations are in and both charts draw them.
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-test-accuracy') !== '');
    await page.waitForFunction(() =>
      ['loss-chart', 'accuracy-chart'].every(
        (id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points')) > 0,
      ),
    );
    const measureFrom = await page.evaluate(() => performance.now());

    // Time from each pointer event to the frame that shows its paint.
    await page.getByTestId('draw-canvas').evaluate((canvas) => {
      const timing = (window as unknown as { timing: PageTiming }).timing;
      canvas.addEventListener('pointermove', (event) => {
        requestAnimationFrame((frameTime) => timing.pointerToFrameMs.push(frameTime - event.timeStamp));
      });
    });
    const box = (await page.getByTestId('draw-canvas').boundingBox())!;
    for (let stroke = 0; stroke < 6; stroke++) {
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * (0.2 + stroke * 0.1));
      await page.mouse.down();
      for (let step = 1; step <= 20; step++) {
        await page.mouse.move(box.x + box.width * (0.3 + step * 0.02), box.y + box.height * (0.2 + stroke * 0.1));
        await page.waitForTimeout(16);
      }
      await page.mouse.up();
      await page.getByTestId('clear-canvas').click();
    }
    await page.waitForTimeout(1500);

    expect(await numberAttribute(page, 'samples-per-sec')).toBeGreaterThan(20_000);
    const timing = await page.evaluate(() => (window as unknown as { timing: PageTiming }).timing);
    const longTasks = timing.longTasks.filter((task) => task.start >= measureFrom);
    expect(longTasks, JSON.stringify(longTasks)).toEqual([]);

    const latencies = timing.pointerToFrameMs.sort((a, b) => a - b);
    expect(latencies.length).toBeGreaterThan(60);
    const median = latencies[Math.floor(latencies.length / 2)]!;
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    console.log(`pointer→frame ms: median ${median.toFixed(1)}, p95 ${p95.toFixed(1)}, max ${latencies.at(-1)!.toFixed(1)}`);
    expect(median).toBeLessThan(17);
    expect(p95).toBeLessThan(34);
    expect(browser.problems).toEqual([]);
  });
});
