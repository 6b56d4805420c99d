// The MNIST normalisation shared by the stroke and raster paths: the ink is fitted into a
// 20 px box on a supersampled work grid, then the 28×28 window is cut so that the centre of
// mass lands where MNIST puts it, and each output pixel is the mean of its subpixels.

import { DIGIT_PIXELS, DIGIT_SIDE, MNIST_SHAPE } from './digit-stats';

/** Subpixels per output pixel along each axis; centring is accurate to 1/16 px. */
export const SUPERSAMPLE = 8;
/** The work grid spans 40 output pixels so a 20 px digit fits whatever its centroid. */
const WORK_SIDE = 40;
export const WORK_RESOLUTION = WORK_SIDE * SUPERSAMPLE;
const WORK_CENTRE = WORK_SIDE / 2;

export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** Maps input coordinates to work-grid coordinates measured in output pixels. */
export interface Placement {
  readonly scale: number;
  readonly sourceCentreX: number;
  readonly sourceCentreY: number;
}

export function toWorkX(placement: Placement, x: number): number {
  return WORK_CENTRE + (x - placement.sourceCentreX) * placement.scale;
}

export function toWorkY(placement: Placement, y: number): number {
  return WORK_CENTRE + (y - placement.sourceCentreY) * placement.scale;
}

/** The input x covered by work-grid x (in output pixels); the inverse of `toWorkX`. */
export function fromWorkX(placement: Placement, workX: number): number {
  return placement.sourceCentreX + (workX - WORK_CENTRE) / placement.scale;
}

export function fromWorkY(placement: Placement, workY: number): number {
  return placement.sourceCentreY + (workY - WORK_CENTRE) / placement.scale;
}

/**
 * Scales the box so its longest side plus `addedInk` (ink the renderer adds around the box,
 * in output pixels) is MNIST's 20 px. `minExtent` (input units) caps the enlargement, so a
 * dot or a tiny scribble stays small instead of blowing up to fill the box.
 */
export function fitPlacement(box: Box, addedInk: number, minExtent: number): Placement {
  const extent = Math.max(box.maxX - box.minX, box.maxY - box.minY, minExtent);
  return {
    scale: (MNIST_SHAPE.longestSide - addedInk) / extent,
    sourceCentreX: (box.minX + box.maxX) / 2,
    sourceCentreY: (box.minY + box.maxY) / 2,
  };
}

export function createWorkGrid(): Float32Array {
  return new Float32Array(WORK_RESOLUTION * WORK_RESOLUTION);
}

/**
 * Cuts the 28×28 window whose centroid is MNIST's, area-averaging subpixels. The centroid is
 * found at subpixel resolution, so the shift is sub-pixel accurate. Null when there is no ink.
 */
export function centreAndDownsample(work: Float32Array): Float32Array | null {
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let row = 0; row < WORK_RESOLUTION; row++) {
    const offset = row * WORK_RESOLUTION;
    let rowMass = 0;
    for (let col = 0; col < WORK_RESOLUTION; col++) {
      const v = work[offset + col];
      rowMass += v;
      sumX += v * col;
    }
    mass += rowMass;
    sumY += rowMass * row;
  }
  if (mass <= 0) return null;

  // Subpixel c has its centre at (c + 0.5) / SUPERSAMPLE output pixels and output pixel j
  // at j + 0.5, so these origins put the centroid at MNIST's pixel index.
  const originCol = Math.round(sumX / mass + 0.5 - (MNIST_SHAPE.centroidX + 0.5) * SUPERSAMPLE);
  const originRow = Math.round(sumY / mass + 0.5 - (MNIST_SHAPE.centroidY + 0.5) * SUPERSAMPLE);

  const out = new Float32Array(DIGIT_PIXELS);
  const norm = 1 / (SUPERSAMPLE * SUPERSAMPLE);
  for (let row = 0; row < DIGIT_SIDE * SUPERSAMPLE; row++) {
    const workRow = originRow + row;
    if (workRow < 0 || workRow >= WORK_RESOLUTION) continue;
    const outOffset = ((row / SUPERSAMPLE) | 0) * DIGIT_SIDE;
    const workOffset = workRow * WORK_RESOLUTION;
    for (let col = 0; col < DIGIT_SIDE * SUPERSAMPLE; col++) {
      const workCol = originCol + col;
      if (workCol < 0 || workCol >= WORK_RESOLUTION) continue;
      out[outOffset + ((col / SUPERSAMPLE) | 0)] += work[workOffset + workCol] * norm;
    }
  }
  for (let i = 0; i < DIGIT_PIXELS; i++) if (out[i] > 1) out[i] = 1;
  return out;
}
