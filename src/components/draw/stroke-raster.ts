// Renders pen strokes as round-capped thick polylines (a union of capsules) on the
// supersampled work grid, with the pen width given in output pixels, so the stroke width the
// network sees does not depend on how large the digit was drawn.

import { SUPERSAMPLE, WORK_RESOLUTION, toWorkX, toWorkY, type Box, type Placement } from './fit-and-centre';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** One pen-down to pen-up path, in pad coordinates (CSS pixels). */
export type Stroke = readonly Point[];

/** The box around every point, or null when there are no points. */
export function strokeBounds(strokes: readonly Stroke[]): Box | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const stroke of strokes) {
    for (const { x, y } of stroke) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return minX <= maxX ? { minX, minY, maxX, maxY } : null;
}

/** Points closer than this (in subpixels) add nothing visible but cost a capsule each. */
const MIN_STEP = 0.25;

/** Paints the strokes into `work` (maximum of existing and new coverage). */
export function rasteriseStrokes(
  strokes: readonly Stroke[],
  placement: Placement,
  penWidth: number,
  work: Float32Array,
): void {
  const radius = (penWidth * SUPERSAMPLE) / 2;
  for (const stroke of strokes) {
    if (stroke.length === 0) continue;
    let ax = toWorkX(placement, stroke[0].x) * SUPERSAMPLE;
    let ay = toWorkY(placement, stroke[0].y) * SUPERSAMPLE;
    paintCapsule(work, ax, ay, ax, ay, radius);
    for (let i = 1; i < stroke.length; i++) {
      const bx = toWorkX(placement, stroke[i].x) * SUPERSAMPLE;
      const by = toWorkY(placement, stroke[i].y) * SUPERSAMPLE;
      if (Math.abs(bx - ax) < MIN_STEP && Math.abs(by - ay) < MIN_STEP && i < stroke.length - 1) continue;
      paintCapsule(work, ax, ay, bx, by, radius);
      ax = bx;
      ay = by;
    }
  }
}

/**
 * Coverage of the capsule around segment a–b, in subpixel units (subpixel c has its centre
 * at c + 0.5). The one-subpixel ramp at the edge keeps the 8× grid from aliasing.
 */
function paintCapsule(work: Float32Array, ax: number, ay: number, bx: number, by: number, radius: number): void {
  const reach = radius + 0.5;
  const colStart = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
  const colEnd = Math.min(WORK_RESOLUTION - 1, Math.ceil(Math.max(ax, bx) + reach));
  const rowStart = Math.max(0, Math.floor(Math.min(ay, by) - reach));
  const rowEnd = Math.min(WORK_RESOLUTION - 1, Math.ceil(Math.max(ay, by) + reach));
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  for (let row = rowStart; row <= rowEnd; row++) {
    const py = row + 0.5 - ay;
    for (let col = colStart; col <= colEnd; col++) {
      const px = col + 0.5 - ax;
      const t = lengthSquared > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSquared)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const coverage = reach - Math.sqrt(ex * ex + ey * ey);
      if (coverage <= 0) continue;
      const index = row * WORK_RESOLUTION + col;
      const value = coverage < 1 ? coverage : 1;
      if (value > work[index]) work[index] = value;
    }
  }
}
