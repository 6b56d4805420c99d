// Random distortions of 28×28 training images: the network sees a slightly moved, resized,
// rotated, sheared, thickened or thinned digit each time, so it reads drawn digits (which
// are never placed and stroked like the scans) better. A transform is drawn once per sample
// into a caller-owned Float32Array, TRANSFORM_STRIDE floats each, and every backend applies
// that same list, so they stay comparable. warpImage is the reference the faster backends
// are checked against.

import type { Random } from './random';

const SIDE = 28;
/** Pixel centres are 0..27, so the image's centre is at 13.5 on both axes. */
const CENTRE = (SIDE - 1) / 2;

/**
 * Floats per transform: the inverse affine map from an output pixel (x, y) to the source
 * point it samples, sx = a·x + b·y + c and sy = d·x + e·y + f, then the stroke change, then
 * one unused float so transforms stay 16-byte aligned.
 */
export const TRANSFORM_STRIDE = 8;
export const TRANSFORM_A = 0;
export const TRANSFORM_B = 1;
export const TRANSFORM_C = 2;
export const TRANSFORM_D = 3;
export const TRANSFORM_E = 4;
export const TRANSFORM_F = 5;
/** In [-1, 1]: > 0 blends each pixel toward its 4-neighbour max (thicker), < 0 toward the min. */
export const TRANSFORM_STROKE = 6;

export interface AugmentationRanges {
  /** Largest shift in pixels, each axis. */
  readonly shift: number;
  readonly minScale: number;
  readonly maxScale: number;
  /** x scales by (1 + a), y by 1 / (1 + a), for |a| up to this. */
  readonly anisotropy: number;
  readonly rotationDegrees: number;
  /** x moves by shear × (y − centre). */
  readonly shear: number;
  /** Largest |stroke| (see TRANSFORM_STROKE). */
  readonly stroke: number;
}

export const DEFAULT_AUGMENTATION: AugmentationRanges = {
  shift: 2.5,
  minScale: 0.85,
  maxScale: 1.15,
  anisotropy: 0.08,
  rotationDegrees: 12,
  shear: 0.1,
  stroke: 0.6,
};

/** Transformed ink must stay this far inside the image: pixel centres margin..27 − margin. */
const INK_MARGIN = 1;
const INK_ROOM = SIDE - 1 - 2 * INK_MARGIN;

/**
 * Bounding box of the non-zero pixels of the image at `offset`, written as (first column,
 * last column, first row, last row) at out[4i..4i+3]; an empty image gets first > last.
 */
export function measureInkBox(images: Uint8Array, offset: number, out: Uint8Array, i: number): void {
  let colMin = SIDE;
  let colMax = -1;
  let rowMin = SIDE;
  let rowMax = -1;
  for (let y = 0; y < SIDE; y++) {
    const row = offset + y * SIDE;
    for (let x = 0; x < SIDE; x++) {
      if (images[row + x] === 0) continue;
      if (x < colMin) colMin = x;
      if (x > colMax) colMax = x;
      if (y < rowMin) rowMin = y;
      rowMax = y;
    }
  }
  out[4 * i] = colMin;
  out[4 * i + 1] = colMax;
  out[4 * i + 2] = rowMin;
  out[4 * i + 3] = rowMax;
}

/** The transform that leaves an image exactly as it is. */
export function writeIdentityTransform(out: Float32Array, offset: number): void {
  out.fill(0, offset, offset + TRANSFORM_STRIDE);
  out[offset + TRANSFORM_A] = 1;
  out[offset + TRANSFORM_E] = 1;
}

/** The identity leaves the image as it is, so backends read such a sample without warping. */
export function isIdentityTransform(transforms: Float32Array, offset: number): boolean {
  return (
    transforms[offset + TRANSFORM_A] === 1 &&
    transforms[offset + TRANSFORM_B] === 0 &&
    transforms[offset + TRANSFORM_C] === 0 &&
    transforms[offset + TRANSFORM_D] === 0 &&
    transforms[offset + TRANSFORM_E] === 1 &&
    transforms[offset + TRANSFORM_F] === 0 &&
    transforms[offset + TRANSFORM_STROKE] === 0
  );
}

/**
 * Draws one random transform for an image whose ink box is boxes[4i..4i+3] (measureInkBox)
 * into out[offset..]. Always uses seven random numbers, so the stream stays in step. The
 * distortion is about the image centre; a digit that would grow past the margin is scaled
 * down until it fits, and the shift is clamped so its ink stays inside the image.
 */
export function drawTransform(
  random: Random,
  boxes: Uint8Array,
  i: number,
  out: Float32Array,
  offset: number,
  ranges: AugmentationRanges = DEFAULT_AUGMENTATION,
): void {
  let scale = ranges.minScale + (ranges.maxScale - ranges.minScale) * random.nextFloat();
  const stretch = 1 + ranges.anisotropy * (2 * random.nextFloat() - 1);
  const angle = ((ranges.rotationDegrees * Math.PI) / 180) * (2 * random.nextFloat() - 1);
  const shear = ranges.shear * (2 * random.nextFloat() - 1);
  let shiftX = ranges.shift * (2 * random.nextFloat() - 1);
  let shiftY = ranges.shift * (2 * random.nextFloat() - 1);
  const stroke = ranges.stroke * (2 * random.nextFloat() - 1);

  // Forward map about the centre: rotation · shear · diag(scale·stretch, scale/stretch).
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const sx = stretch;
  const sy = 1 / stretch;
  let m00 = cos * sx;
  let m01 = (cos * shear - sin) * sy;
  let m10 = sin * sx;
  let m11 = (sin * shear + cos) * sy;

  // Where the ink box lands (before scaling and shifting), relative to the centre.
  const colMin = boxes[4 * i] - CENTRE;
  const colMax = boxes[4 * i + 1] - CENTRE;
  const rowMin = boxes[4 * i + 2] - CENTRE;
  const rowMax = boxes[4 * i + 3] - CENTRE;
  let left = 0;
  let right = 0;
  let top = 0;
  let bottom = 0;
  if (colMin <= colMax) {
    left = Infinity;
    right = -Infinity;
    top = Infinity;
    bottom = -Infinity;
    for (let corner = 0; corner < 4; corner++) {
      const x = corner & 1 ? colMax : colMin;
      const y = corner & 2 ? rowMax : rowMin;
      const mappedX = m00 * x + m01 * y;
      const mappedY = m10 * x + m11 * y;
      left = Math.min(left, mappedX);
      right = Math.max(right, mappedX);
      top = Math.min(top, mappedY);
      bottom = Math.max(bottom, mappedY);
    }
    scale = Math.min(scale, INK_ROOM / Math.max(right - left, bottom - top, 1e-6));
    left *= scale;
    right *= scale;
    top *= scale;
    bottom *= scale;
    // The scaled box is at most INK_ROOM wide, so each clamp range is non-empty.
    shiftX = Math.min(Math.max(shiftX, INK_MARGIN - CENTRE - left), SIDE - 1 - INK_MARGIN - CENTRE - right);
    shiftY = Math.min(Math.max(shiftY, INK_MARGIN - CENTRE - top), SIDE - 1 - INK_MARGIN - CENTRE - bottom);
  }
  m00 *= scale;
  m01 *= scale;
  m10 *= scale;
  m11 *= scale;

  // Inverse: source = centre + M⁻¹ (output − centre − shift).
  const determinant = m00 * m11 - m01 * m10;
  const a = m11 / determinant;
  const b = -m01 / determinant;
  const d = -m10 / determinant;
  const e = m00 / determinant;
  const originX = CENTRE + shiftX;
  const originY = CENTRE + shiftY;
  out[offset + TRANSFORM_A] = a;
  out[offset + TRANSFORM_B] = b;
  out[offset + TRANSFORM_C] = CENTRE - a * originX - b * originY;
  out[offset + TRANSFORM_D] = d;
  out[offset + TRANSFORM_E] = e;
  out[offset + TRANSFORM_F] = CENTRE - d * originX - e * originY;
  out[offset + TRANSFORM_STROKE] = stroke;
  out[offset + TRANSFORM_STROKE + 1] = 0;
}

/** Transform coefficients become fixed point with this many fraction bits. */
const POSITION_BITS = 16;
/** Intensity 1.0 in the warp's integer scale: a byte times 256 (8-bit bilinear weights). */
const WARP_ONE = 255 * 256;
/**
 * Warped levels below this (a byte of 16, 6% ink) become 0. Resampling smears a faint halo
 * around every stroke, and each non-zero pixel costs sparse first-layer work: dropping the
 * halo keeps augmentation within its speed budget at no measured cost in accuracy.
 */
const INK_FLOOR = 16 * 256;

/** Rounds to fixed point, the same way in the kernel (floor of x + ½, not Math.round). */
function toFixedPoint(value: number, bits: number): number {
  return Math.floor(value * (1 << bits) + 0.5);
}

/** Source byte at (x, y); outside the image everything is 0. */
function sourceByte(images: Uint8Array, offset: number, x: number, y: number): number {
  if (x < 0 || x >= SIDE || y < 0 || y >= SIDE) return 0;
  return images[offset + y * SIDE + x];
}

/**
 * Applies the transform at transforms[transformOffset..] to the image at images[offset..]:
 * each output pixel samples the source bilinearly at its inverse-mapped point, then the
 * stroke change blends it toward its 4-neighbour max or min. Writes INPUT_SIZE intensities
 * (0..1) into `out`; `levels` (INPUT_SIZE integers) holds the warp before the stroke change.
 * All in integers (positions to 1/65536 px, weights to 1/256), so the wasm kernel repeats
 * it bit for bit, and the identity transform gives back byte/255 exactly (bytes under the
 * ink floor aside; the trainer never warps identity transforms).
 */
export function warpImage(
  images: Uint8Array,
  offset: number,
  transforms: Float32Array,
  transformOffset: number,
  out: Float32Array,
  levels: Int32Array,
): void {
  const a = toFixedPoint(transforms[transformOffset + TRANSFORM_A], POSITION_BITS);
  const b = toFixedPoint(transforms[transformOffset + TRANSFORM_B], POSITION_BITS);
  const c = toFixedPoint(transforms[transformOffset + TRANSFORM_C], POSITION_BITS);
  const d = toFixedPoint(transforms[transformOffset + TRANSFORM_D], POSITION_BITS);
  const e = toFixedPoint(transforms[transformOffset + TRANSFORM_E], POSITION_BITS);
  const f = toFixedPoint(transforms[transformOffset + TRANSFORM_F], POSITION_BITS);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = a * x + b * y + c;
      const sy = d * x + e * y + f;
      const x0 = sx >> POSITION_BITS;
      const y0 = sy >> POSITION_BITS;
      const fx = (sx >> 8) & 255;
      const fy = (sy >> 8) & 255;
      const top = sourceByte(images, offset, x0, y0) * (256 - fx) + sourceByte(images, offset, x0 + 1, y0) * fx;
      const bottom = sourceByte(images, offset, x0, y0 + 1) * (256 - fx) + sourceByte(images, offset, x0 + 1, y0 + 1) * fx;
      levels[y * SIDE + x] = (top * (256 - fy) + bottom * fy) >> 8;
    }
  }
  const stroke = transforms[transformOffset + TRANSFORM_STROKE];
  const amount = toFixedPoint(Math.abs(stroke), 8);
  const thicken = stroke > 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const p = y * SIDE + x;
      let v = levels[p];
      if (amount !== 0) {
        const up = y > 0 ? levels[p - SIDE] : 0;
        const down = y < SIDE - 1 ? levels[p + SIDE] : 0;
        const left = x > 0 ? levels[p - 1] : 0;
        const right = x < SIDE - 1 ? levels[p + 1] : 0;
        const target = thicken ? Math.max(v, up, down, left, right) : Math.min(v, up, down, left, right);
        v += ((target - v) * amount) >> 8;
      }
      out[p] = v >= INK_FLOOR ? v / WARP_ONE : 0;
    }
  }
}
