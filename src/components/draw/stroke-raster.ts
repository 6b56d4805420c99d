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

/**
 * Deviation (in subpixels, 1/16 of an output pixel) allowed when dropping points. Pens and
 * coalesced events give hundreds of points per stroke; each capsule costs a pen-width disc of
 * work, so simplifying first keeps a frame's preprocessing to about a millisecond.
 */
const SIMPLIFY_TOLERANCE = 0.5;

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
    const xs = stroke.map((p) => toWorkX(placement, p.x) * SUPERSAMPLE);
    const ys = stroke.map((p) => toWorkY(placement, p.y) * SUPERSAMPLE);
    const kept = simplify(xs, ys, SIMPLIFY_TOLERANCE);
    if (kept.length === 1) paintCapsule(work, xs[0], ys[0], xs[0], ys[0], radius);
    for (let k = 1; k < kept.length; k++) {
      const a = kept[k - 1];
      const b = kept[k];
      paintCapsule(work, xs[a], ys[a], xs[b], ys[b], radius);
    }
  }
}

/**
 * Ramer–Douglas–Peucker: the indices of a polyline whose points all lie within `tolerance`
 * of the kept path, so corners survive while straight and gently curved runs collapse.
 */
export function simplify(xs: readonly number[], ys: readonly number[], tolerance: number): number[] {
  const last = xs.length - 1;
  if (last <= 0) return last === 0 ? [0] : [];
  const keep = new Uint8Array(xs.length);
  keep[0] = 1;
  keep[last] = 1;
  const spans: [number, number][] = [[0, last]];
  for (let span = spans.pop(); span !== undefined; span = spans.pop()) {
    const [from, to] = span;
    const dx = xs[to] - xs[from];
    const dy = ys[to] - ys[from];
    const lengthSquared = dx * dx + dy * dy;
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = from + 1; i < to; i++) {
      const px = xs[i] - xs[from];
      const py = ys[i] - ys[from];
      const t = lengthSquared > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSquared)) : 0;
      const distance = Math.hypot(px - t * dx, py - t * dy);
      if (distance > worstDistance) {
        worst = i;
        worstDistance = distance;
      }
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    spans.push([from, worst], [worst, to]);
  }
  const kept: number[] = [];
  for (let i = 0; i <= last; i++) if (keep[i] === 1) kept.push(i);
  return kept;
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
