// A data file that is missing or corrupt: a clear message naming the file, and a retry
// that works once the file is back, without reloading the page.

import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { openBrowser, type BrowserSession } from '../support/chromium';
import { waitForState } from '../support/page-helpers';

const baseUrl = inject('baseUrl');

describe('bad data files', () => {
  let browser: BrowserSession;

  beforeEach(async () => {
    browser = await openBrowser();
  });

  afterEach(async () => {
    await browser?.close();
  });

  it('shows which file is missing and recovers with Retry', async () => {
    const { page } = browser;
    const missing = '**/mnist/t10k-labels-idx1-ubyte.gz';
    await page.route(missing, (route) => route.fulfill({ status: 404, body: 'Not found' }));
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await page.goto(baseUrl);

    await waitForState(page, ['error'], 60_000);
    const error = page.getByTestId('error');
    expect(await error.getAttribute('data-code')).toBe('data-missing');
    expect(await error.textContent()).toContain('t10k-labels-idx1-ubyte.gz');
    expect(await page.getByTestId('train-toggle').isDisabled()).toBe(true);

    await page.unroute(missing);
    await error.getByTestId('retry').click();
    await waitForState(page, ['ready'], 60_000);
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(navigations).toHaveLength(1);
    expect(await page.getByTestId('train-toggle').isEnabled()).toBe(true);
  });

  it('names a corrupted file', async () => {
    const { page } = browser;
    // A labels file whose header claims 10,000 labels but holds 100.
    const header = Buffer.from([0, 0, 8, 1, 0, 0, 0x27, 0x10]);
    const truncated = gzipSync(Buffer.concat([header, Buffer.alloc(100)]));
    await page.route('**/mnist/t10k-labels-idx1-ubyte.gz', (route) =>
      route.fulfill({ status: 200, body: truncated, contentType: 'application/gzip' }),
    );
    await page.goto(baseUrl);
    await waitForState(page, ['error'], 60_000);
    const error = page.getByTestId('error');
    expect(await error.getAttribute('data-code')).toBe('data-corrupt');
    expect(await error.textContent()).toMatch(/t10k-labels-idx1-ubyte\.gz.*(truncated|expected)/);
  });
});
