// Drawing on the page's pad the way a user does, with the mouse.

import type { Page } from 'playwright-core';

/** A point in pad fractions: (0, 0) is the top left corner, (1, 1) the bottom right. */
export type Point = readonly [number, number];

/** Draws one stroke through the points, with intermediate mouse moves between them. */
export async function drawStroke(page: Page, points: readonly Point[]): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (box === null) throw new Error('the draw pad is not visible');
  const at = ([x, y]: Point) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 4 });
  await page.mouse.up();
}
