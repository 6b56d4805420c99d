import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_STROKE_EXTENT, normalizeRaster, preprocessStrokes } from './digit-preprocess';
import { DIGIT_PIXELS, DIGIT_SIDE, MNIST_SHAPE, measureDigit, type DigitStats } from './digit-stats';
import type { Point, Stroke } from './stroke-raster';

// ---------------------------------------------------------------------------------------
// Synthetic drawings in pad coordinates (a 280 px pad), shaped roughly like MNIST digits.

function line(x0: number, y0: number, x1: number, y1: number, steps = 50): Point[] {
  return Array.from({ length: steps + 1 }, (_, i) => ({ x: x0 + ((x1 - x0) * i) / steps, y: y0 + ((y1 - y0) * i) / steps }));
}

function arc(cx: number, cy: number, rx: number, ry: number, from = 0, to = 2 * Math.PI, steps = 120): Point[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const angle = from + ((to - from) * i) / steps;
    return { x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle) };
  });
}

const twoBowlEnd = arc(140, 100, 55, 55, 1.1 * Math.PI, 2.25 * Math.PI);
const DRAWN: Readonly<Record<number, readonly Stroke[]>> = {
  0: [arc(140, 140, 75, 90)],
  1: [line(160, 40, 125, 240)],
  2: [[...twoBowlEnd, ...line(twoBowlEnd[twoBowlEnd.length - 1].x, twoBowlEnd[twoBowlEnd.length - 1].y, 80, 240), ...line(80, 240, 210, 240)]],
  4: [line(160, 40, 80, 170), line(80, 170, 200, 170), line(170, 100, 170, 240)],
  7: [[...line(70, 50, 210, 50), ...line(210, 50, 120, 240).slice(1)]],
  8: [arc(140, 90, 50, 50), arc(140, 190, 60, 50)],
};

function transform(strokes: readonly Stroke[], scale: number, dx: number, dy: number): Stroke[] {
  return strokes.map((stroke) => stroke.map(({ x, y }) => ({ x: x * scale + dx, y: y * scale + dy })));
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < a.length; i++) {
    meanA += a[i] / a.length;
    meanB += b[i] / b.length;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - meanA) * (b[i] - meanB);
    aa += (a[i] - meanA) ** 2;
    bb += (b[i] - meanB) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function stats(pixels: Float32Array | null): DigitStats {
  expect(pixels).not.toBeNull();
  const measured = measureDigit(pixels as Float32Array);
  expect(measured).not.toBeNull();
  return measured as DigitStats;
}

/** What every normalised digit must look like: MNIST's centring and size. */
function expectMnistGeometry(pixels: Float32Array | null): void {
  const s = stats(pixels);
  expect(Math.abs(s.centroidX - MNIST_SHAPE.centroidX)).toBeLessThan(0.5);
  expect(Math.abs(s.centroidY - MNIST_SHAPE.centroidY)).toBeLessThan(0.5);
  // A 20 px span that starts between pixel edges touches 21 pixels.
  expect(Math.max(s.width, s.height)).toBeGreaterThanOrEqual(20);
  expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(21);
  for (const v of pixels as Float32Array) expect(v >= 0 && v <= 1).toBe(true);
}

/** An image nearest-neighbour enlarged `factor` times, as a canvas would show it. */
function enlarge(image: ArrayLike<number>, side: number, factor: number, padding = 0): Float32Array {
  const outSide = side * factor + 2 * padding;
  const out = new Float32Array(outSide * outSide);
  for (let y = 0; y < side * factor; y++) {
    for (let x = 0; x < side * factor; x++) {
      out[(y + padding) * outSide + x + padding] = image[((y / factor) | 0) * side + ((x / factor) | 0)];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------

describe('preprocessStrokes', () => {
  it('returns null for an empty drawing', () => {
    expect(preprocessStrokes([])).toBeNull();
    expect(preprocessStrokes([[], []])).toBeNull();
  });

  it('gives every drawn digit MNIST centring and a 20 px longest side', () => {
    for (const strokes of Object.values(DRAWN)) expectMnistGeometry(preprocessStrokes(strokes));
  });

  it('keeps a single dot a pen-width blob at the centre', () => {
    const s = stats(preprocessStrokes([[{ x: 40, y: 250 }]]));
    expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(4);
    expect(s.ink).toBeGreaterThan(3);
    expect(s.ink).toBeLessThan(8);
    expect(Math.hypot(s.centroidX - 14, s.centroidY - 14)).toBeLessThan(0.5);
  });

  it('enlarges a scribble below the minimum extent only in proportion', () => {
    // Half the minimum extent gets half the 20 px box (plus the pen), not all of it.
    const half = MIN_STROKE_EXTENT / 2;
    const s = stats(preprocessStrokes([arc(100, 100, half / 2, half / 2)]));
    expect(Math.max(s.width, s.height)).toBeGreaterThanOrEqual(10);
    expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(13);
  });

  it('scales a drawing just above the minimum extent to the full box', () => {
    expectMnistGeometry(preprocessStrokes(transform(DRAWN[7], (MIN_STROKE_EXTENT * 1.2) / 190, 0, 0)));
  });

  it('keeps a vertical line a thin vertical line 20 px tall', () => {
    const out = preprocessStrokes([line(140, 30, 140, 250)]);
    expectMnistGeometry(out);
    const s = stats(out);
    expect(s.width).toBeLessThanOrEqual(4);
    expect(s.height).toBeGreaterThanOrEqual(20);
  });

  it('keeps a horizontal line a thin horizontal line', () => {
    const s = stats(preprocessStrokes([line(20, 100, 260, 100)]));
    expect(s.height).toBeLessThanOrEqual(4);
    expect(s.width).toBeGreaterThanOrEqual(20);
  });

  it('is scale invariant: a huge and a tiny drawing give nearly the same input', () => {
    const normal = preprocessStrokes(DRAWN[4]) as Float32Array;
    for (const scale of [0.15, 4]) {
      const other = preprocessStrokes(transform(DRAWN[4], scale, 3, 7)) as Float32Array;
      expect(correlation(normal, other)).toBeGreaterThan(0.99);
    }
  });

  it('is translation invariant: an off-centre drawing gives the same input', () => {
    const centred = preprocessStrokes(DRAWN[2]) as Float32Array;
    const moved = preprocessStrokes(transform(DRAWN[2], 1, -57.3, 31.9)) as Float32Array;
    expect(correlation(centred, moved)).toBeGreaterThan(0.99);
  });

  it('handles a digit touching the pad border like any other', () => {
    const atEdge = transform(DRAWN[0], 1, -65, -50);
    expect(Math.min(...atEdge[0].map((p) => Math.min(p.x, p.y)))).toBe(0);
    const out = preprocessStrokes(atEdge);
    expectMnistGeometry(out);
    expect(correlation(out as Float32Array, preprocessStrokes(DRAWN[0]) as Float32Array)).toBeGreaterThan(0.99);
  });
});

describe('normalizeRaster', () => {
  it('returns null for a blank raster', () => {
    expect(normalizeRaster({ width: 50, height: 40, data: new Float32Array(2000) })).toBeNull();
  });

  it('rejects data of the wrong length', () => {
    expect(() => normalizeRaster({ width: 10, height: 10, data: new Float32Array(99) })).toThrow(RangeError);
  });

  it('reads RGBA bytes through their alpha channel', () => {
    const square = new Float32Array(60 * 60);
    const rgba = new Uint8ClampedArray(60 * 60 * 4);
    for (let y = 10; y < 45; y++) {
      for (let x = 20; x < 30; x++) {
        square[y * 60 + x] = 0.8;
        rgba[(y * 60 + x) * 4] = 255; // colour must be ignored
        rgba[(y * 60 + x) * 4 + 3] = 204;
      }
    }
    const fromFloat = normalizeRaster({ width: 60, height: 60, data: square }) as Float32Array;
    const fromBytes = normalizeRaster({ width: 60, height: 60, data: rgba }) as Float32Array;
    expectMnistGeometry(fromFloat);
    for (let i = 0; i < DIGIT_PIXELS; i++) expect(fromBytes[i]).toBeCloseTo(fromFloat[i], 5);
  });

  it('keeps a small dot on a large raster small', () => {
    const data = new Float32Array(280 * 280);
    for (let y = 100; y < 110; y++) for (let x = 200; x < 210; x++) data[y * 280 + x] = 1;
    const s = stats(normalizeRaster({ width: 280, height: 280, data }));
    expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(6);
    expect(Math.hypot(s.centroidX - 14, s.centroidY - 14)).toBeLessThan(0.5);
  });
});

// ---------------------------------------------------------------------------------------
// Real MNIST: the measured constants, the pen calibration and the raster round trip.

interface TrainingSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

function loadTrainingSet(): TrainingSet {
  const candidates = [process.env.MNIST_DIR, fileURLToPath(new URL('../../../public/mnist', import.meta.url))];
  const dir = candidates.find((d) => d !== undefined && existsSync(join(d, 'train-images-idx3-ubyte.gz')));
  if (dir === undefined) {
    throw new Error(`MNIST training files not found in MNIST_DIR (${process.env.MNIST_DIR ?? 'unset'}) or public/mnist.`);
  }
  // Minimal IDX reading: a 16-byte header for images, 8 bytes for labels.
  const images = gunzipSync(readFileSync(join(dir, 'train-images-idx3-ubyte.gz'))).subarray(16);
  const labels = gunzipSync(readFileSync(join(dir, 'train-labels-idx1-ubyte.gz'))).subarray(8);
  expect(images.length).toBe(labels.length * DIGIT_PIXELS);
  return { images, labels };
}

function imageAt(set: TrainingSet, index: number): Float32Array {
  const out = new Float32Array(DIGIT_PIXELS);
  for (let i = 0; i < DIGIT_PIXELS; i++) out[i] = set.images[index * DIGIT_PIXELS + i] / 255;
  return out;
}

describe('on real MNIST', () => {
  let set: TrainingSet;
  const classInk = new Float64Array(10);
  const classWidth = new Float64Array(10);
  const means = { ink: 0, width: 0, height: 0, centroidX: 0, centroidY: 0, strokeWidth: 0, longest20: 0 };

  beforeAll(() => {
    set = loadTrainingSet();
    const classCount = new Float64Array(10);
    const count = set.labels.length;
    for (let n = 0; n < count; n++) {
      const s = measureDigit(imageAt(set, n)) as DigitStats;
      const label = set.labels[n];
      classInk[label] += s.ink;
      classWidth[label] += s.strokeWidth;
      classCount[label] += 1;
      means.ink += s.ink / count;
      means.width += s.width / count;
      means.height += s.height / count;
      means.centroidX += s.centroidX / count;
      means.centroidY += s.centroidY / count;
      means.strokeWidth += s.strokeWidth / count;
      means.longest20 += Math.max(s.width, s.height) === 20 ? 1 / count : 0;
    }
    for (let c = 0; c < 10; c++) {
      classInk[c] /= classCount[c];
      classWidth[c] /= classCount[c];
    }
  });

  it('matches the constants recorded in MNIST_SHAPE', () => {
    expect(means.ink).toBeCloseTo(MNIST_SHAPE.ink, 0);
    expect(means.width).toBeCloseTo(MNIST_SHAPE.width, 1);
    expect(means.height).toBeCloseTo(MNIST_SHAPE.height, 1);
    expect(means.centroidX).toBeCloseTo(MNIST_SHAPE.centroidX, 1);
    expect(means.centroidY).toBeCloseTo(MNIST_SHAPE.centroidY, 1);
    expect(means.strokeWidth).toBeCloseTo(MNIST_SHAPE.strokeWidth, 1);
    expect(means.longest20).toBeGreaterThan(0.999);
  });

  it('draws digits with MNIST-like ink and stroke width for their class', () => {
    let inkRatio = 0;
    let widthRatio = 0;
    const digits = Object.entries(DRAWN);
    for (const [label, strokes] of digits) {
      const s = stats(preprocessStrokes(strokes));
      const c = Number(label);
      // Each shape is within a quarter of its class; on average the pen matches closely.
      expect(s.ink / classInk[c]).toBeGreaterThan(0.75);
      expect(s.ink / classInk[c]).toBeLessThan(1.25);
      inkRatio += s.ink / classInk[c] / digits.length;
      widthRatio += s.strokeWidth / classWidth[c] / digits.length;
    }
    expect(inkRatio).toBeGreaterThan(0.95);
    expect(inkRatio).toBeLessThan(1.05);
    expect(widthRatio).toBeGreaterThan(0.95);
    expect(widthRatio).toBeLessThan(1.08);
  });

  it('passes real digits enlarged 10× through the raster path nearly unchanged', () => {
    const correlations: number[] = [];
    for (let n = 0; n < 100; n++) {
      const original = imageAt(set, n);
      const out = normalizeRaster({ width: 280, height: 280, data: enlarge(original, DIGIT_SIDE, 10) });
      expectMnistGeometry(out);
      correlations.push(correlation(original, out as Float32Array));
      // The gap to the original is the sub-pixel re-centring (MNIST centred to whole
      // pixels): the 28×28 digit normalised the same way matches almost exactly.
      const direct = normalizeRaster({ width: DIGIT_SIDE, height: DIGIT_SIDE, data: original }) as Float32Array;
      expect(correlation(direct, out as Float32Array)).toBeGreaterThan(0.99);
    }
    const mean = correlations.reduce((a, b) => a + b, 0) / correlations.length;
    console.info(`raster round trip: mean correlation ${mean.toFixed(4)}, min ${Math.min(...correlations).toFixed(4)}`);
    expect(mean).toBeGreaterThan(0.95);
    expect(Math.min(...correlations)).toBeGreaterThan(0.8);
  });

  it('gives the same input for a real digit shrunk, enlarged, moved or touching the border', () => {
    const original = imageAt(set, 7);
    const reference = normalizeRaster({ width: 280, height: 280, data: enlarge(original, DIGIT_SIDE, 10) }) as Float32Array;
    const variants = [
      { width: 28, height: 28, data: original },
      { width: 28 * 37, height: 28 * 37, data: enlarge(original, DIGIT_SIDE, 37) },
      { width: 28 * 3 + 200, height: 28 * 3 + 200, data: enlarge(original, DIGIT_SIDE, 3, 100) },
    ];
    for (const raster of variants) {
      expect(correlation(reference, normalizeRaster(raster) as Float32Array)).toBeGreaterThan(0.97);
    }
    // Cropped to its ink, the digit touches all four borders of the raster.
    const s = measureDigit(original) as DigitStats;
    const big = enlarge(original, DIGIT_SIDE, 10);
    let minX = 280;
    let minY = 280;
    for (let y = 0; y < 280; y++) {
      for (let x = 0; x < 280; x++) {
        if (big[y * 280 + x] > 0) {
          minX = Math.min(minX, x);
          minY = Math.min(minY, y);
        }
      }
    }
    const width = s.width * 10;
    const height = s.height * 10;
    const cropped = new Float32Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) cropped[y * width + x] = big[(y + minY) * 280 + x + minX];
    expect(correlation(reference, normalizeRaster({ width, height, data: cropped }) as Float32Array)).toBeGreaterThan(0.97);
  });
});
