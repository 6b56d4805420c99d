// Handwriting replayed through the real pad: after the default few epochs of training, digits
// from tests/fixtures/drawn-digits.ts (every style) are drawn point by point as pointer
// events, half with the mouse and half with a finger (CDP touch events), and the page's
// settled prediction is compared with the label.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { generateDrawnDigits, type DrawnDigit, type PadPoint } from '../fixtures/drawn-digits';
import { openBrowser, type BrowserSession } from '../support/chromium';
import { waitForState } from '../support/page-helpers';

const baseUrl = inject('baseUrl');

/** "A few epochs", as a user gives the default run before drawing. */
const EPOCHS = 3;
/** Two of each style: one drawn with the mouse, one with a finger. */
const DIGITS = generateDrawnDigits({ seed: 2, countPerStyle: 2 });
/** Measured 24/24 per input, with and without augmentation; a few points below. */
const ACCURACY_FLOOR = 0.9;

type Input = 'mouse' | 'touch';

interface PadBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

async function padBox(page: Page): Promise<PadBox> {
  const pad = page.getByTestId('draw-canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (box === null) throw new Error('the draw pad is not visible');
  return box;
}

/** One pointer event per generated point, as the hand would send them. */
async function drawWithMouse(page: Page, box: PadBox, strokes: DrawnDigit['strokes']): Promise<void> {
  const at = (p: PadPoint) => [box.x + p.x * box.width, box.y + p.y * box.height] as const;
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point));
    await page.mouse.up();
  }
}

async function drawWithTouch(cdp: CDPSession, box: PadBox, strokes: DrawnDigit['strokes']): Promise<void> {
  const at = (p: PadPoint) => ({ x: box.x + p.x * box.width, y: box.y + p.y * box.height, id: 1 });
  for (const stroke of strokes) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(stroke[0])] });
    for (const point of stroke.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(point)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
}

async function clearPad(page: Page): Promise<void> {
  await page.getByTestId('clear-canvas').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]')?.textContent?.trim() === '');
}

/** The digit the page shows once it has answered for the drawing as it stands. */
async function settledPrediction(page: Page): Promise<string> {
  await page.waitForSelector('[data-testid="draw-panel"][aria-busy="false"]');
  return ((await page.getByTestId('prediction').textContent()) ?? '').trim();
}

describe('drawn digits replayed through the pad', () => {
  let browser: BrowserSession;
  let cdp: CDPSession;

  beforeAll(async () => {
    browser = await openBrowser({ hasTouch: true });
    cdp = await browser.page.context().newCDPSession(browser.page);
    await browser.page.goto(`${baseUrl}?epochs=${EPOCHS}&autostart=1`);
    await waitForState(browser.page, ['done'], 110_000);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('never scrolls the page while a finger draws, though the same drag elsewhere does', async () => {
    const { page } = browser;
    // Room to scroll both ways, so a scroll could not hide at the top or bottom of the page.
    await page.evaluate(() => {
      document.body.style.paddingBottom = '2000px';
      window.scrollBy(0, 100);
    });
    const settled = await padBox(page);
    const drag = async (x: number, fromY: number, toY: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: fromY, id: 1 }] });
      for (let step = 1; step <= 12; step++) {
        const y = fromY + ((toY - fromY) * step) / 12;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y, id: 1 }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForTimeout(300);
    };
    const scrollY = () => page.evaluate(() => window.scrollY);

    const before = await scrollY();
    await drag(settled.x + settled.width / 2, settled.y + settled.height * 0.85, settled.y + settled.height * 0.15);
    expect(await scrollY()).toBe(before);
    await settledPrediction(page);
    await clearPad(page);

    // The control: the same upward drag beside the pad scrolls the page.
    const beside = settled.x + settled.width + 40 < 1280 ? settled.x + settled.width + 40 : settled.x - 40;
    await drag(beside, settled.y + settled.height * 0.85, settled.y + settled.height * 0.15);
    expect(await scrollY()).toBeGreaterThan(before);

    await page.evaluate(() => {
      document.body.style.paddingBottom = '';
      window.scrollTo(0, 0);
    });
  });

  it('reads handwriting drawn with the mouse and with a finger', async () => {
    const { page } = browser;
    const box = await padBox(page);
    const results = { mouse: { correct: 0, total: 0 }, touch: { correct: 0, total: 0 } } satisfies Record<Input, unknown>;
    const mistakes: string[] = [];
    for (const [index, digit] of DIGITS.entries()) {
      const input: Input = index % 2 === 0 ? 'mouse' : 'touch';
      if (input === 'mouse') await drawWithMouse(page, box, digit.strokes);
      else await drawWithTouch(cdp, box, digit.strokes);
      const predicted = await settledPrediction(page);
      results[input].total++;
      if (predicted === String(digit.label)) results[input].correct++;
      else mistakes.push(`${digit.style} (${input}) → ${predicted === '' ? 'nothing' : predicted}`);
      await clearPad(page);
    }
    const rate = ({ correct, total }: { correct: number; total: number }) => `${correct}/${total}`;
    console.log(`drawn digits in Chromium: mouse ${rate(results.mouse)}, touch ${rate(results.touch)}`);
    console.log(`misread (label style → predicted): ${mistakes.length === 0 ? 'none' : mistakes.join('; ')}`);

    // Each input must have drawn something readable: an empty answer would mean the events were lost.
    expect(results.mouse.total).toBe(DIGITS.length / 2);
    expect(results.touch.total).toBe(DIGITS.length / 2);
    expect(results.mouse.correct / results.mouse.total).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
    expect(results.touch.correct / results.touch.total).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
    expect(browser.problems).toEqual([]);
  });
});
