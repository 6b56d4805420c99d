import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AUGMENTATION,
  drawTransform,
  measureInkBox,
  TRANSFORM_C,
  TRANSFORM_F,
  TRANSFORM_STRIDE,
  TRANSFORM_STROKE,
  warpImage,
  writeIdentityTransform,
} from './augmentation';
import { Random } from './random';
import { INPUT_SIZE } from './shapes';

const SIDE = 28;

/** The first images of the MNIST test file, read with Node. */
function loadTestImages(count: number): Uint8Array {
  const path = join(process.env.MNIST_DIR ?? 'public/mnist', 't10k-images-idx3-ubyte.gz');
  if (!existsSync(path)) throw new Error(`${path} not found: set MNIST_DIR or run the install script`);
  return gunzipSync(readFileSync(path)).subarray(16, 16 + count * INPUT_SIZE);
}

function warp(images: Uint8Array, index: number, transform: Float32Array): Float32Array {
  const out = new Float32Array(INPUT_SIZE);
  warpImage(images, index * INPUT_SIZE, transform, 0, out, new Int32Array(INPUT_SIZE));
  return out;
}

function identity(): Float32Array {
  const transform = new Float32Array(TRANSFORM_STRIDE);
  writeIdentityTransform(transform, 0);
  return transform;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

function centreOfMass(pixels: ArrayLike<number>): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (let p = 0; p < INPUT_SIZE; p++) {
    x += (p % SIDE) * pixels[p];
    y += Math.floor(p / SIDE) * pixels[p];
  }
  const mass = sum(pixels);
  return { x: x / mass, y: y / mass };
}

const COUNT = 300;
const images = loadTestImages(COUNT);
const boxes = new Uint8Array(COUNT * 4);
for (let i = 0; i < COUNT; i++) measureInkBox(images, i * INPUT_SIZE, boxes, i);

describe('warpImage', () => {
  it('gives back byte/255 exactly under the identity transform, but for ink under the floor', () => {
    for (let i = 0; i < 20; i++) {
      const expected = Float32Array.from(images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE), (byte) => (byte >= 16 ? byte / 255 : 0));
      expect(warp(images, i, identity())).toEqual(expected);
    }
  });

  it('moves the centre of mass by the shift, fractional shifts included', () => {
    const transform = identity();
    // Sampling from x − 1.5 and y + 2 moves the digit 1.5 px right and 2 px up.
    transform[TRANSFORM_C] = -1.5;
    transform[TRANSFORM_F] = 2;
    // Images whose ink has room for the shift, so none is cut off.
    const roomy = [...Array(COUNT).keys()].filter((i) => boxes[4 * i + 1] <= 25 && boxes[4 * i + 2] >= 2).slice(0, 10);
    expect(roomy.length).toBe(10);
    for (const i of roomy) {
      const source = Float32Array.from(images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE));
      const before = centreOfMass(source);
      const after = centreOfMass(warp(images, i, transform));
      // Within 0.05 px: the ink floor trims the faint edge a little unevenly.
      expect(after.x - before.x).toBeCloseTo(1.5, 1);
      expect(after.y - before.y).toBeCloseTo(-2, 1);
    }
  });

  it('keeps the ink of random transforms inside the image', () => {
    const random = new Random(3);
    const transform = new Float32Array(TRANSFORM_STRIDE);
    const noStroke = { ...DEFAULT_AUGMENTATION, stroke: 0 };
    for (let i = 0; i < COUNT; i++) {
      drawTransform(random, boxes, i, transform, 0, noStroke);
      const warped = warp(images, i, transform);
      // Resampling keeps the ink (scaled by the area change) unless some is cut off.
      const a = transform[0], b = transform[1], d = transform[3], e = transform[4];
      const areaScale = 1 / Math.abs(a * e - b * d);
      const sourceInk = sum(images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE)) / 255;
      expect(sum(warped) / (sourceInk * areaScale)).toBeCloseTo(1, 1);
      // At most the faint edge of a bilinear sample reaches the outermost pixels.
      for (let k = 0; k < SIDE; k++) {
        expect(Math.max(warped[k], warped[27 * SIDE + k], warped[k * SIDE], warped[k * SIDE + 27])).toBeLessThan(0.1);
      }
    }
  });

  it('leaves a blank image blank', () => {
    const blank = new Uint8Array(INPUT_SIZE);
    const blankBox = new Uint8Array(4);
    measureInkBox(blank, 0, blankBox, 0);
    const random = new Random(5);
    const transform = new Float32Array(TRANSFORM_STRIDE);
    for (let trial = 0; trial < 20; trial++) {
      drawTransform(random, blankBox, 0, transform, 0);
      expect(transform.every(Number.isFinite)).toBe(true);
      expect(sum(warp(blank, 0, transform))).toBe(0);
    }
  });

  it('thickens strokes with a positive stroke change and thins them with a negative one', () => {
    for (let i = 0; i < 10; i++) {
      const plain = warp(images, i, identity());
      const thicker = identity();
      thicker[TRANSFORM_STROKE] = 0.6;
      const thinner = identity();
      thinner[TRANSFORM_STROKE] = -0.6;
      const thick = warp(images, i, thicker);
      const thin = warp(images, i, thinner);
      expect(sum(thick)).toBeGreaterThan(1.15 * sum(plain));
      expect(sum(thin)).toBeLessThan(0.85 * sum(plain));
      for (let p = 0; p < INPUT_SIZE; p++) {
        expect(thick[p]).toBeGreaterThanOrEqual(plain[p]);
        expect(thick[p]).toBeLessThanOrEqual(1);
        expect(thin[p]).toBeLessThanOrEqual(plain[p]);
        expect(thin[p]).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('drawTransform', () => {
  it('repeats a seed exactly and stays within the ranges', () => {
    const first = new Float32Array(COUNT * TRANSFORM_STRIDE);
    const second = new Float32Array(COUNT * TRANSFORM_STRIDE);
    const a = new Random(9);
    const b = new Random(9);
    for (let i = 0; i < COUNT; i++) {
      drawTransform(a, boxes, i, first, i * TRANSFORM_STRIDE);
      drawTransform(b, boxes, i, second, i * TRANSFORM_STRIDE);
    }
    expect(second).toEqual(first);
    for (let i = 0; i < COUNT; i++) {
      const t = first.subarray(i * TRANSFORM_STRIDE, (i + 1) * TRANSFORM_STRIDE);
      // The inverse map's determinant is 1 / (area scale): scale² within the range.
      const inverseArea = Math.abs(t[0] * t[4] - t[1] * t[3]);
      expect(1 / Math.sqrt(inverseArea)).toBeLessThanOrEqual(DEFAULT_AUGMENTATION.maxScale + 1e-3);
      expect(1 / Math.sqrt(inverseArea)).toBeGreaterThan(0.7);
      expect(Math.abs(t[TRANSFORM_STROKE])).toBeLessThanOrEqual(DEFAULT_AUGMENTATION.stroke);
    }
  });
});
