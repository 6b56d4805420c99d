// Reading the page's stable test hooks (data-testid and the status element's data-*).

import type { Page } from 'playwright-core';

export type StatusKey =
  | 'state'
  | 'epoch'
  | 'samples'
  | 'samples-per-sec'
  | 'lr'
  | 'loss'
  | 'val-accuracy'
  | 'test-accuracy'
  | 'backend'
  | 'workers'
  | 'user-samples'
  | 'user-learned';

export async function statusAttribute(page: Page, key: StatusKey): Promise<string> {
  return (await page.getByTestId('status').getAttribute(`data-${key}`)) ?? '';
}

/** A numeric status attribute; fails if it is empty or not a number. */
export async function numberAttribute(page: Page, key: StatusKey): Promise<number> {
  const text = await statusAttribute(page, key);
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`status data-${key} is “${text}”, not a number`);
  return value;
}

export async function waitForState(page: Page, states: readonly string[], timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => wanted.includes(document.querySelector('[data-testid="status"]')?.getAttribute('data-state') ?? ''),
    states,
    { timeout },
  );
}
