// Turns a drawing into the 784 inputs the network was trained on. An MLP has no shift or
// scale tolerance, so the drawing is normalised the way MNIST was made: ink fitted into a
// 20 px box keeping aspect ratio, anti-aliased, and placed by centre of mass in 28×28.

import {
  centreAndDownsample,
  createWorkGrid,
  fitPlacement,
  fromWorkX,
  fromWorkY,
  SUPERSAMPLE,
  toWorkX,
  toWorkY,
  WORK_RESOLUTION,
  type Placement,
} from './fit-and-centre';
import { rasteriseStrokes, strokeBounds, type Stroke } from './stroke-raster';

/**
 * Pen width in output pixels. MNIST strokes measure 2.45 px by `MNIST_SHAPE.strokeWidth`'s
 * estimator, which reads low on caps and joins. Six synthetic digits (0 1 2 4 7 8, in the
 * tests) drawn with 2.65 px capsules match MNIST's per-class mean ink (ratio 1.00 on average)
 * and stroke-width estimate (ratio 1.02); 2.45 px gave 0.94 and 0.95.
 */
export const PEN_WIDTH = 2.65;

/**
 * Drawings whose points span less than this (CSS pixels) are enlarged as if they spanned
 * it: a tap stays a pen-width dot and a small scribble stays small.
 */
export const MIN_STROKE_EXTENT = 16;

/** The raster counterpart of `MIN_STROKE_EXTENT`, as a fraction of the raster's longest side. */
const MIN_RASTER_EXTENT_FRACTION = 0.2;

/** 784 intensities in 0..1, row-major 28×28; null when nothing was drawn. */
export function preprocessStrokes(strokes: readonly Stroke[]): Float32Array | null {
  const box = strokeBounds(strokes);
  if (box === null) return null;
  const placement = fitPlacement(box, PEN_WIDTH, MIN_STROKE_EXTENT);
  const work = createWorkGrid();
  rasteriseStrokes(strokes, placement, PEN_WIDTH, work);
  return centreAndDownsample(work);
}

export interface Raster {
  readonly width: number;
  readonly height: number;
  /**
   * Ink per pixel, row-major: one value per pixel, or RGBA (as in `ImageData`) whose alpha is
   * the ink. Float32Array holds 0..1; Uint8ClampedArray holds 0..255.
   */
  readonly data: Float32Array | Uint8ClampedArray;
}

/** Normalises an image of ink (e.g. a canvas's alpha) like a drawing; null when blank. */
export function normalizeRaster(raster: Raster): Float32Array | null {
  const { width, height, data } = raster;
  const pixels = width * height;
  const channels = data.length === pixels * 4 ? 4 : 1;
  if (!Number.isInteger(width) || !Number.isInteger(height) || data.length !== pixels * channels) {
    throw new RangeError(`Raster of ${width}×${height} needs ${pixels} or ${pixels * 4} values, got ${data.length}.`);
  }
  const unit = data instanceof Uint8ClampedArray ? 1 / 255 : 1;
  const ink = new Float32Array(pixels);
  let minX = width;
  let maxX = -1;
  let minY = height;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[(y * width + x) * channels + channels - 1] * unit;
      if (v <= 0) continue;
      ink[y * width + x] = Math.min(v, 1);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) return null;

  // Pixel edges, not centres: a pixel's ink spans one unit, like MNIST's box of pixels > 0.
  const box = { minX, minY, maxX: maxX + 1, maxY: maxY + 1 };
  const placement = fitPlacement(box, 0, MIN_RASTER_EXTENT_FRACTION * Math.max(width, height));
  const columns = areaWeights(placement, box.minX, box.maxX, 'x');
  const rows = areaWeights(placement, box.minY, box.maxY, 'y');

  // Separable area averaging: each subpixel is the mean of the raster over its footprint,
  // which shrinks without aliasing and enlarges as the piecewise-constant image it is.
  const boxHeight = box.maxY - box.minY;
  const horizontal = new Float32Array(boxHeight * WORK_RESOLUTION);
  for (let y = 0; y < boxHeight; y++) {
    const source = (box.minY + y) * width;
    const target = y * WORK_RESOLUTION;
    for (const { index, first, weights } of columns) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * ink[source + first + k];
      horizontal[target + index] = sum;
    }
  }
  const work = createWorkGrid();
  for (const { index, first, weights } of rows) {
    const target = index * WORK_RESOLUTION;
    for (let k = 0; k < weights.length; k++) {
      const weight = weights[k];
      const source = (first - box.minY + k) * WORK_RESOLUTION;
      for (const column of columns) work[target + column.index] += weight * horizontal[source + column.index];
    }
  }
  return centreAndDownsample(work);
}

interface AreaWeights {
  /** Subpixel index on the work grid. */
  readonly index: number;
  /** First raster pixel under it. */
  readonly first: number;
  /** Fraction of the subpixel each raster pixel from `first` on covers. */
  readonly weights: Float64Array;
}

/** For each subpixel overlapping raster pixels [start, end), how much of it each covers. */
function areaWeights(placement: Placement, start: number, end: number, axis: 'x' | 'y'): AreaWeights[] {
  const toWork = axis === 'x' ? toWorkX : toWorkY;
  const fromWork = axis === 'x' ? fromWorkX : fromWorkY;
  const first = Math.max(0, Math.floor(toWork(placement, start) * SUPERSAMPLE));
  const last = Math.min(WORK_RESOLUTION - 1, Math.ceil(toWork(placement, end) * SUPERSAMPLE) - 1);
  const result: AreaWeights[] = [];
  for (let index = first; index <= last; index++) {
    const from = fromWork(placement, index / SUPERSAMPLE);
    const to = fromWork(placement, (index + 1) / SUPERSAMPLE);
    const firstPixel = Math.max(start, Math.floor(from));
    const lastPixel = Math.min(end - 1, Math.ceil(to) - 1);
    if (lastPixel < firstPixel) continue;
    const weights = new Float64Array(lastPixel - firstPixel + 1);
    for (let pixel = firstPixel; pixel <= lastPixel; pixel++) {
      weights[pixel - firstPixel] = (Math.min(to, pixel + 1) - Math.max(from, pixel)) / (to - from);
    }
    result.push({ index, first: firstPixel, weights });
  }
  return result;
}
