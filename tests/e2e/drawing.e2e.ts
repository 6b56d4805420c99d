// Drawing on the pad with a mouse: the network's guess, the 28×28 preview, and an empty
// pad showing nothing.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from '../support/chromium';
import { drawStroke, type Point } from '../support/draw-pad';
import { waitForState } from '../support/page-helpers';

const baseUrl = inject('baseUrl');

function circle(cx: number, cy: number, rx: number, ry: number, steps = 40): Point[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const angle = (i / steps) * 2 * Math.PI;
    return [cx + rx * Math.sin(angle), cy - ry * Math.cos(angle)] as const;
  });
}

/** Waits until the panel has answered for the drawing as it stands now. */
async function settledPrediction(page: Page): Promise<{ digit: string; confidence: string }> {
  await page.waitForSelector('[data-testid="draw-panel"][aria-busy="false"]');
  return prediction(page);
}

async function prediction(page: Page): Promise<{ digit: string; confidence: string }> {
  const element = page.getByTestId('prediction');
  return { digit: ((await element.textContent()) ?? '').trim(), confidence: (await element.getAttribute('data-confidence')) ?? '' };
}

describe('drawing a digit', () => {
  let browser: BrowserSession;

  beforeAll(async () => {
    browser = await openBrowser();
    await browser.page.goto(`${baseUrl}?epochs=1&autostart=1`);
    await waitForState(browser.page, ['done'], 120_000);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows no prediction on an empty pad', async () => {
    expect(await prediction(browser.page)).toEqual({ digit: '', confidence: '' });
  });

  it('classifies a drawn 1 and a drawn 0, with a preview of what the network sees', async () => {
    const { page } = browser;
    await drawStroke(page, [
      [0.5, 0.2],
      [0.5, 0.5],
      [0.5, 0.8],
    ]);
    const one = await settledPrediction(page);
    expect(one.digit).toBe('1');
    expect(Number(one.confidence)).toBeGreaterThan(0.5);
    expect(Number(one.confidence)).toBeLessThanOrEqual(1);

    // The preview holds ink: some of its pixels are not the background.
    const inkPixels = await page.getByTestId('preview').evaluate((element) => {
      const canvas = element instanceof HTMLCanvasElement ? element : element.querySelector('canvas');
      if (canvas === null) return -1;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let differing = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) differing++;
      return differing;
    });
    expect(inkPixels).toBeGreaterThan(0);

    await page.getByTestId('clear-canvas').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]')?.textContent?.trim() === '');
    await drawStroke(page, circle(0.5, 0.5, 0.22, 0.3));
    expect((await settledPrediction(page)).digit).toBe('0');
    expect(await page.getByTestId('probabilities').textContent()).toMatch(/%/);
  });

  it('clears back to no prediction', async () => {
    const { page } = browser;
    await page.getByTestId('clear-canvas').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]')?.textContent?.trim() === '');
    expect((await prediction(page)).confidence).toBe('');
    expect(browser.problems).toEqual([]);
  });

  it('undoes the last stroke, back to the drawing before it, then to an empty pad', async () => {
    const { page } = browser;
    const previewPixels = () =>
      page.getByTestId('preview').evaluate((element) => {
        const canvas = element instanceof HTMLCanvasElement ? element : element.querySelector('canvas')!;
        return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
      });
    await drawStroke(page, [
      [0.5, 0.2],
      [0.5, 0.8],
    ]);
    expect((await settledPrediction(page)).digit).toBe('1');
    const oneOnly = await previewPixels();

    await drawStroke(page, [
      [0.3, 0.5],
      [0.7, 0.5],
    ]);
    await settledPrediction(page);
    expect(await previewPixels()).not.toEqual(oneOnly);

    await page.getByTestId('undo-stroke').click();
    expect((await settledPrediction(page)).digit).toBe('1');
    expect(await previewPixels()).toEqual(oneOnly);

    await page.getByTestId('undo-stroke').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]')?.textContent?.trim() === '');
    expect(await page.getByTestId('undo-stroke').isDisabled()).toBe(true);
  });
});
