// The whole product in a real headless Chromium: data loading, training, live settings,
// pause, step and reset, as a user drives them.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type BrowserSession } from '../support/chromium';
import { numberAttribute, statusAttribute, waitForState } from '../support/page-helpers';

const baseUrl = inject('baseUrl');

describe('training in the browser', () => {
  let browser: BrowserSession;

  beforeAll(async () => {
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('downloads the data with visible progress, then is ready', async () => {
    const { page } = browser;
    // Record every progress value the page shows; on loopback the download is quick.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const element = document.querySelector('[data-testid="data-progress"]');
        if (element) seen.push(`${element.getAttribute('data-phase')}:${element.getAttribute('data-fraction')}`);
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    // About 1.5 s for the 11 MB so progress is observable.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: 8 * 1024 * 1024,
      uploadThroughput: 1024 * 1024,
    });
    await page.goto(baseUrl);
    await waitForState(page, ['ready'], 60_000);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();

    const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    const downloadFractions = progressSeen
      .filter((entry) => entry.startsWith('download:'))
      .map((entry) => Number(entry.slice('download:'.length)))
      .filter((fraction) => fraction > 0 && fraction < 1);
    expect(downloadFractions.length).toBeGreaterThan(0);
    expect(await page.getByTestId('data-progress').count()).toBe(0);
    expect(await statusAttribute(page, 'samples')).toBe('0');
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(browser.problems).toEqual([]);
  });

  it('trains: both charts gain points and accuracy is reported', async () => {
    const { page } = browser;
    await page.getByTestId('train-toggle').click();
    await waitForState(page, ['training']);
    await page.waitForFunction(
      () => {
        const points = (id: string) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0);
        const status = document.querySelector('[data-testid="status"]');
        return points('loss-chart') > 3 && points('accuracy-chart') > 3 && status?.getAttribute('data-test-accuracy') !== '';
      },
      undefined,
      { timeout: 60_000 },
    );
    const testAccuracy = await numberAttribute(page, 'test-accuracy');
    const validationAccuracy = await numberAttribute(page, 'val-accuracy');
    expect(testAccuracy).toBeGreaterThan(0.85);
    expect(testAccuracy).toBeLessThanOrEqual(1);
    expect(validationAccuracy).toBeGreaterThan(0.85);
    expect(await numberAttribute(page, 'samples-per-sec')).toBeGreaterThan(0);
    expect(await numberAttribute(page, 'loss')).toBeLessThan(1);
    // The charts draw real lines.
    expect(await page.locator('[data-testid="loss-chart"] .recharts-line path').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="accuracy-chart"] .recharts-line path').count()).toBeGreaterThan(0);
  });

  it('changes the learning rate while training continues', async () => {
    const { page } = browser;
    const before = await numberAttribute(page, 'lr');
    // Slider position 700 of 1000 on the 1e-5…1 log scale is 10^-1.5 ≈ 0.0316.
    await page.getByTestId('lr-slider').fill('700');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="status"]')?.getAttribute('data-lr') === '0.0316',
      undefined,
      { timeout: 5_000 },
    );
    expect(before).not.toBe(0.0316);
    const samplesAfterChange = await numberAttribute(page, 'samples');
    await page.waitForFunction(
      (after) => Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-samples')) > after + 1000,
      samplesAfterChange,
      { timeout: 10_000 },
    );
    expect(await statusAttribute(page, 'state')).toBe('training');
    await page.waitForFunction(() => location.search.includes('lr=0.0316'), undefined, { timeout: 5_000 });
  });

  it('pauses: the sample count stops', async () => {
    const { page } = browser;
    await page.getByTestId('train-toggle').click();
    await waitForState(page, ['paused']);
    const samples = await numberAttribute(page, 'samples');
    await page.waitForTimeout(700);
    expect(await numberAttribute(page, 'samples')).toBe(samples);
    expect(await page.getByTestId('train-toggle').textContent()).toBe('Resume');
  });

  it('steps one batch at a time', async () => {
    const { page } = browser;
    const samples = await numberAttribute(page, 'samples');
    await page.getByTestId('step').click();
    await page.waitForFunction(
      (before) => Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-samples')) !== before,
      samples,
    );
    await waitForState(page, ['paused']);
    expect(await numberAttribute(page, 'samples')).toBe(samples + 64);
  });

  it('resets to an untrained network with empty charts', async () => {
    const { page } = browser;
    await page.getByTestId('reset').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-samples') === '0');
    await waitForState(page, ['ready']);
    expect(await page.getByTestId('loss-chart').getAttribute('data-points')).toBe('0');
    expect(await statusAttribute(page, 'test-accuracy')).toBe('');
    expect(browser.problems).toEqual([]);
  });
});

describe('configuration in the URL', () => {
  let browser: BrowserSession;

  beforeAll(async () => {
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('applies settings from the query string and autostarts', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}?lr=0.01&batch=32&hidden=64&seed=7&epochs=1&optimizer=sgd&autostart=1`);
    await waitForState(page, ['training', 'done'], 60_000);
    expect(await numberAttribute(page, 'lr')).toBe(0.01);
    expect(await page.getByTestId('batch-slider').getAttribute('aria-valuetext')).toBe('32');
    expect(await page.getByTestId('hidden-input').inputValue()).toBe('64');
    expect(await page.getByTestId('seed-input').inputValue()).toBe('7');
    expect(await page.getByTestId('notices').count()).toBe(0);
    // One epoch, then done with a final evaluation.
    await waitForState(page, ['done'], 120_000);
    expect(await numberAttribute(page, 'epoch')).toBe(1);
    expect(await numberAttribute(page, 'test-accuracy')).toBeGreaterThan(0.9);
  });

  it('trains on two threads when asked, the page being cross-origin isolated', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}?backend=wasm-threads&epochs=1&autostart=1`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await waitForState(page, ['done'], 120_000);
    expect(await statusAttribute(page, 'backend')).toBe('wasm-simd-2');
    expect(await numberAttribute(page, 'workers')).toBe(2);
    expect(await numberAttribute(page, 'test-accuracy')).toBeGreaterThan(0.95);
    expect(await page.getByTestId('status').textContent()).toContain('wasm-simd-2 × 2');
  });

  it('reports bad values and uses the defaults for them', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}?lr=banana&batch=0&seed=3`);
    await waitForState(page, ['ready'], 60_000);
    const notices = await page.getByTestId('notices').textContent();
    expect(notices).toMatch(/Learning rate must be a number/);
    expect(notices).toMatch(/Batch size must be between 1 and 1024/);
    expect(await numberAttribute(page, 'lr')).toBe(0.05);
    expect(await page.getByTestId('seed-input').inputValue()).toBe('3');
    expect(browser.problems).toEqual([]);
  });
});
