// "Teach it your handwriting": a drawing tapped with its right digit joins the training, is
// learned, survives a reload, exports, imports and is removed again.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from '../support/chromium';
import { drawStroke } from '../support/draw-pad';
import { statusAttribute, waitForState } from '../support/page-helpers';

const baseUrl = inject('baseUrl');

async function waitForUserSamplesStatus(page: Page, key: 'user-samples' | 'user-learned', value: string, timeout = 30_000) {
  await page.waitForFunction(
    ([attribute, wanted]) => document.querySelector('[data-testid="status"]')?.getAttribute(attribute) === wanted,
    [`data-${key}`, value] as const,
    { timeout },
  );
}

async function listedLabels(page: Page): Promise<string[]> {
  return page.getByTestId('user-sample').evaluateAll((items) => items.map((item) => item.getAttribute('data-label') ?? ''));
}

async function waitForListed(page: Page, count: number): Promise<void> {
  await page.waitForFunction((wanted) => document.querySelectorAll('[data-testid="user-sample"]').length === wanted, count);
}

describe('teaching the network your handwriting', () => {
  let browser: BrowserSession;
  let exportedText = '';

  beforeAll(async () => {
    browser = await openBrowser();
    await browser.page.goto(baseUrl);
    await waitForState(browser.page, ['ready'], 120_000);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('starts with no samples and says how to add one', async () => {
    const { page } = browser;
    await page.getByTestId('user-samples-empty').waitFor();
    expect(await page.getByTestId('user-sample').count()).toBe(0);
    expect(await statusAttribute(page, 'user-samples')).toBe('0');
    expect(await page.getByTestId('teach-row').count()).toBe(0);
  });

  it('adds a drawing with the tapped label to the list and to the training stream', async () => {
    const { page } = browser;
    // A 7: a top bar, then a long diagonal.
    await drawStroke(page, [
      [0.3, 0.22],
      [0.7, 0.22],
      [0.6, 0.45],
      [0.45, 0.8],
    ]);
    await page.waitForSelector('[data-testid="draw-panel"][aria-busy="false"]');
    await page.getByRole('button', { name: "It's a 7" }).click();
    await page.getByText('Added as a 7 — the network will learn it').waitFor();

    await waitForListed(page, 1);
    expect(await listedLabels(page)).toEqual(['7']);
    await waitForUserSamplesStatus(page, 'user-samples', '1');
    // Nothing else was cleared: the drawing and its prediction are still there.
    expect(await page.getByTestId('preview').getAttribute('data-empty')).toBe('false');
    expect(((await page.getByTestId('prediction').textContent()) ?? '').trim()).not.toBe('');
  });

  it('learns the sample while training runs', async () => {
    const { page } = browser;
    await page.getByTestId('train-toggle').click();
    await waitForUserSamplesStatus(page, 'user-learned', '1', 150_000);
    await page.getByTestId('train-toggle').click();
    await waitForState(page, ['paused', 'done']);
    expect(await page.getByTestId('user-samples-summary').textContent()).toContain('learned 1 of 1');
    expect(await page.getByTestId('status').textContent()).toContain('Your samples 1 of 1 learned');
  });

  it('keeps the sample across a reload and sends it to the new worker', async () => {
    const { page } = browser;
    await page.reload();
    await waitForListed(page, 1);
    expect(await listedLabels(page)).toEqual(['7']);
    await waitForUserSamplesStatus(page, 'user-samples', '1', 60_000);
  });

  it('exports the samples as a JSON file', async () => {
    const { page } = browser;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-user-samples').click()]);
    expect(download.suggestedFilename()).toBe('mnist-playground-samples.json');
    exportedText = readFileSync(await download.path(), 'utf8');
    const exported = JSON.parse(exportedText) as { format: string; samples: { label: number; pixels: number[] }[] };
    expect(exported.format).toBe('mnist-playground-user-samples');
    expect(exported.samples).toHaveLength(1);
    expect(exported.samples[0]!.label).toBe(7);
    expect(exported.samples[0]!.pixels).toHaveLength(784);
    expect(exported.samples[0]!.pixels.some((value) => value > 0)).toBe(true);
  });

  it('removes the sample: the list empties and the status count returns to 0', async () => {
    const { page } = browser;
    await page.getByTestId('remove-user-sample').click();
    await waitForListed(page, 0);
    await page.getByTestId('user-samples-empty').waitFor();
    await waitForUserSamplesStatus(page, 'user-samples', '0');
  });

  it('refuses a foreign file without changing anything, then imports the exported one', async () => {
    const { page } = browser;
    const input = page.getByTestId('import-user-samples');
    await input.setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') });
    await page.getByTestId('user-samples-problem').waitFor();
    expect(await page.getByTestId('user-samples-problem').textContent()).toMatch(/not a samples file.*Nothing was imported/);
    expect(await page.getByTestId('user-sample').count()).toBe(0);

    await input.setInputFiles({ name: 'mnist-playground-samples.json', mimeType: 'application/json', buffer: Buffer.from(exportedText) });
    await waitForListed(page, 1);
    expect(await listedLabels(page)).toEqual(['7']);
    expect(await page.getByTestId('user-samples-notice').textContent()).toContain('Imported 1 sample');
    await waitForUserSamplesStatus(page, 'user-samples', '1');
  });

  it('removes all after a confirmation', async () => {
    const { page } = browser;
    await page.getByTestId('clear-user-samples').click();
    expect(await page.getByTestId('user-sample').count()).toBe(1);
    await page.getByTestId('confirm-clear-user-samples').click();
    await waitForListed(page, 0);
    await waitForUserSamplesStatus(page, 'user-samples', '0');
    expect(browser.problems).toEqual([]);
  });
});
