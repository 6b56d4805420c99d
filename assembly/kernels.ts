// Training kernels for the 784-H-10 MLP (ReLU, softmax cross-entropy), compiled to
// WebAssembly with SIMD. The math mirrors the TypeScript reference engine: x = byte/255,
// mean gradient over the batch, stable softmax, SGD with momentum (v = μv + g; w -= ηv)
// or Adam. Everything lives in linear memory at addresses laid out by `configure`; the
// TypeScript glue (src/engine/wasm/wasm-backend.ts) views those regions as typed arrays.
//
// Layout choices, all for SIMD over the hidden axis (padded to a multiple of 4 with zeros,
// which stay zero because their gradients are zero):
// - W1 is input-major (784 × Hp): a non-zero pixel adds one contiguous row to the hidden
//   sums, so the 81% of pixels that are 0 cost nothing.
// - W2 is stored class-major (10 × Hp), so logits are dot products and dHidden is a sum of
//   ten rows.
// - Layer 1's gradient is never stored whole: the batch's non-zero pixels are regrouped by
//   pixel, each W1 row's gradient is summed into one hot scratch row and applied at once.
//
// The same source builds kernels-shared.wasm (imported shared memory) for two threads: a
// helper instance gets its own work area (`configureHelper`) and each thread reads the
// other's through `setPartner` (see src/engine/wasm/two-thread-backend.ts).

const INPUT: i32 = 784;
const CLASSES: i32 = 10;
const INPUT_CHUNKS: i32 = INPUT / 16;
const F32: i32 = 4;
const SIDE: i32 = 28;
/** Floats per augmentation transform, as in src/engine/augmentation.ts. */
const TRANSFORM_STRIDE: i32 = 8;

/** Hidden width rounded up to a multiple of 4. */
let padded: i32 = 0;

// Parameters and their gradients / optimizer state (see `configure` for sizes).
let w1: usize = 0;
let b1: usize = 0;
let w2: usize = 0;
let b2: usize = 0;
let gradRow: usize = 0;
let gb1: usize = 0;
let gw2: usize = 0;
let gb2: usize = 0;
let mw1: usize = 0;
let mb1: usize = 0;
let mw2: usize = 0;
let mb2: usize = 0;
let sw1: usize = 0;
let sb1: usize = 0;
let sw2: usize = 0;
let sb2: usize = 0;

// Per-batch scratch.
let indices: usize = 0;
let transforms: usize = 0;
/** One warped image (i32 levels) before its stroke change; zero outside the sample being warped. */
let warpBuffer: usize = 0;
let hid: usize = 0;
let dhid: usize = 0;
let logits: usize = 0;
let nzCount: usize = 0;
let nzPixel: usize = 0;
let nzValue: usize = 0;
let rowStart: usize = 0;
let rowEntryOffset: usize = 0;
let rowEntryValue: usize = 0;
let input: usize = 0;
let output: usize = 0;

let heapTop: usize = 0;
let correct: i32 = 0;

/** Bump-allocates `bytes` (16-byte aligned, zeroed), growing memory as needed. */
function allocate(bytes: usize): usize {
  const start = (heapTop + 15) & ~(<usize>15);
  const end = start + bytes;
  const needed = <i32>((end + 0xffff) >> 16) - memory.size();
  if (needed > 0 && memory.grow(needed) < 0) unreachable();
  memory.fill(start, 0, bytes);
  heapTop = end;
  return start;
}

/** Per-batch gradients and scratch of one thread, laid out by `layoutWorkArea`. */
let workStart: usize = 0;

/**
 * Lays out parameters and scratch for a network with `hiddenSize` units and batches of up
 * to `batchLimit`. Call once per instance, before anything else.
 */
export function configure(hiddenSize: i32, batchLimit: i32): void {
  padded = (hiddenSize + 3) & ~3;
  heapTop = __heap_base;
  const w1Bytes = <usize>(INPUT * padded * F32);
  const hBytes = <usize>(padded * F32);
  const w2Bytes = <usize>(CLASSES * padded * F32);
  const b2Bytes = <usize>(16 * F32);
  w1 = allocate(w1Bytes);
  b1 = allocate(hBytes);
  w2 = allocate(w2Bytes);
  b2 = allocate(b2Bytes);
  mw1 = allocate(w1Bytes);
  mb1 = allocate(hBytes);
  mw2 = allocate(w2Bytes);
  mb2 = allocate(b2Bytes);
  sw1 = allocate(w1Bytes);
  sb1 = allocate(hBytes);
  sw2 = allocate(w2Bytes);
  sb2 = allocate(b2Bytes);
  layoutWorkArea(batchLimit);
}

/**
 * A helper thread's instance on the same (shared) memory: it reads the main instance's
 * parameters (and updates W1 rows with their moments) and keeps its own gradients and
 * scratch at `base`, a region of `workAreaBytes()` the main instance allocated for it.
 */
export function configureHelper(hiddenSize: i32, batchLimit: i32, base: usize, w1At: usize, b1At: usize, w2At: usize, b2At: usize, mw1At: usize, sw1At: usize): void {
  padded = (hiddenSize + 3) & ~3;
  w1 = w1At;
  b1 = b1At;
  w2 = w2At;
  b2 = b2At;
  // The helper updates W1 rows too, so it shares W1's optimizer moments.
  mw1 = mw1At;
  sw1 = sw1At;
  heapTop = base;
  layoutWorkArea(batchLimit);
}

function layoutWorkArea(batchLimit: i32): void {
  const hBytes = <usize>(padded * F32);
  const w2Bytes = <usize>(CLASSES * padded * F32);
  const batch = <usize>batchLimit;
  workStart = heapTop;
  gradRow = allocate(hBytes);
  gb1 = allocate(hBytes);
  gw2 = allocate(w2Bytes);
  gb2 = allocate(<usize>(16 * F32));
  indices = allocate(batch * 4);
  transforms = allocate(batch * <usize>TRANSFORM_STRIDE * F32);
  warpBuffer = allocate(<usize>(INPUT * F32));
  hid = allocate(batch * hBytes);
  dhid = allocate(batch * hBytes);
  logits = allocate(batch * 16 * F32);
  nzCount = allocate(batch * 4);
  nzPixel = allocate(batch * <usize>INPUT * 2);
  nzValue = allocate(batch * <usize>INPUT * F32);
  rowStart = allocate(<usize>(INPUT + 1) * 4);
  rowEntryOffset = allocate(batch * <usize>INPUT * 4);
  rowEntryValue = allocate(batch * <usize>INPUT * F32);
  input = allocate(<usize>(INPUT * F32));
  output = allocate(<usize>(16 * F32));
}

/** Bytes of one thread's work area (the same for the main instance and a helper). */
export function workAreaBytes(): usize {
  return heapTop - workStart;
}

/** Room for data the glue copies in (image and label bytes); never freed. */
export function allocateBytes(bytes: usize): usize {
  return allocate(bytes);
}

export function paddedHidden(): i32 { return padded; }
export function w1Ptr(): usize { return w1; }
export function b1Ptr(): usize { return b1; }
export function w2Ptr(): usize { return w2; }
export function b2Ptr(): usize { return b2; }
export function indicesPtr(): usize { return indices; }
export function transformsPtr(): usize { return transforms; }
export function inputPtr(): usize { return input; }
export function outputPtr(): usize { return output; }
// Parameters [w1, b1, w2, b2] fill [w1Ptr, parametersEnd); the optimizer moments fill
// [momentsPtr, momentsEnd), just after them.
export function parametersEnd(): usize { return mw1; }
export function momentsPtr(): usize { return mw1; }
export function secondMomentsPtr(): usize { return sw1; }
export function momentsEnd(): usize { return workStart; }
// What the other thread reads of this one's work area in a shared batch.
export function rowStartPtr(): usize { return rowStart; }
export function rowEntryOffsetPtr(): usize { return rowEntryOffset; }
export function rowEntryValuePtr(): usize { return rowEntryValue; }
export function dhidPtr(): usize { return dhid; }
export function gb1Ptr(): usize { return gb1; }
export function gw2Ptr(): usize { return gw2; }
export function gb2Ptr(): usize { return gb2; }
/** Correct predictions counted by the last `trainBatch*` or `evaluate` call. */
export function lastCorrect(): i32 { return correct; }

/** Zeroes momentum / Adam moments, e.g. after the parameters were replaced. */
export function resetOptimizer(): void {
  const w1Bytes = <usize>(INPUT * padded * F32);
  const hBytes = <usize>(padded * F32);
  const w2Bytes = <usize>(CLASSES * padded * F32);
  memory.fill(mw1, 0, w1Bytes);
  memory.fill(sw1, 0, w1Bytes);
  memory.fill(mb1, 0, hBytes);
  memory.fill(sb1, 0, hBytes);
  memory.fill(mw2, 0, w2Bytes);
  memory.fill(sw2, 0, w2Bytes);
  memory.fill(mb2, 0, 16 * F32);
  memory.fill(sb2, 0, 16 * F32);
}

// ---- forward -------------------------------------------------------------------------

/**
 * Lists the non-zero pixels of one image as (pixel, byte/255) pairs, scanning 16 bytes at
 * a time. Returns how many there are.
 */
function gatherImage(image: usize, pixels: usize, values: usize): i32 {
  let n = 0;
  const zero = i8x16.splat(0);
  for (let c = 0; c < INPUT_CHUNKS; c++) {
    let mask = i8x16.bitmask(i8x16.ne(v128.load(image + <usize>(c << 4)), zero));
    while (mask != 0) {
      const p = (c << 4) + ctz(mask);
      store<u16>(pixels + (<usize>n << 1), <u16>p);
      // byte × (1/255) rounded once to f32, exactly as the reference computes it.
      store<f32>(values + (<usize>n << 2), <f32>(<f64>load<u8>(image + <usize>p) * (1.0 / 255.0)));
      n++;
      mask &= mask - 1;
    }
  }
  return n;
}

/** Same as `gatherImage` for float intensities (the draw pad). */
function gatherFloats(source: usize, pixels: usize, values: usize): i32 {
  let n = 0;
  for (let p = 0; p < INPUT; p++) {
    const x = load<f32>(source + (<usize>p << 2));
    if (x != 0) {
      store<u16>(pixels + (<usize>n << 1), <u16>p);
      store<f32>(values + (<usize>n << 2), x);
      n++;
    }
  }
  return n;
}

// ---- augmentation ---------------------------------------------------------------------

// The ink box of the last image measured by `measureInk`: first/last column and row.
let inkCol0: i32 = 0;
let inkCol1: i32 = 0;
let inkRow0: i32 = 0;
let inkRow1: i32 = 0;

/** Finds the bounding box of the image's non-zero bytes, 16 bytes at a time; false if blank. */
function measureInk(image: usize): bool {
  const zero = i8x16.splat(0);
  let first = -1;
  let last = -1;
  for (let c = 0; c < INPUT_CHUNKS; c++) {
    const mask = i8x16.bitmask(i8x16.ne(v128.load(image + <usize>(c << 4)), zero));
    if (mask == 0) continue;
    if (first < 0) first = (c << 4) + ctz(mask);
    last = (c << 4) + 31 - clz(mask);
  }
  if (first < 0) return false;
  inkRow0 = first / SIDE;
  inkRow1 = last / SIDE;
  // OR the rows together: bytes 0..15 and 12..27 of each row cover its 28 columns.
  let low = i8x16.splat(0);
  let high = i8x16.splat(0);
  for (let y = inkRow0; y <= inkRow1; y++) {
    const row = image + <usize>(y * SIDE);
    low = v128.or(low, v128.load(row));
    high = v128.or(high, v128.load(row, 12));
  }
  const columns = i8x16.bitmask(i8x16.ne(low, zero)) | (i8x16.bitmask(i8x16.ne(high, zero)) << 12);
  inkCol0 = ctz(columns);
  inkCol1 = 31 - clz(columns);
  return true;
}

/** The identity transform (1, 0, 0, 0, 1, 0, stroke 0) leaves the image as it is. */
function isIdentity(t: usize): bool {
  const linear = f32x4.eq(v128.load(t), f32x4(1, 0, 0, 0));
  const rest = f32x4.eq(v128.load(t, 16), f32x4(1, 0, 0, 0));
  return (i32x4.bitmask(linear) & 15) == 15 && (i32x4.bitmask(rest) & 7) == 7;
}

/** Source byte at (x, y); outside the image it is 0. */
@inline
function sourceByte(image: usize, x: i32, y: i32): i32 {
  if (<u32>x >= <u32>SIDE || <u32>y >= <u32>SIDE) return 0;
  return <i32>load<u8>(image + <usize>(y * SIDE + x));
}

/** Fixed point rounded as in augmentation.ts: floor(x · 2^bits + ½). */
@inline
function toFixedPoint(value: f32, bits: i32): i32 {
  return <i32>Math.floor(<f64>value * <f64>(1 << bits) + 0.5);
}

/** Bilinear sample at the 16.16 fixed-point source position (sx, sy), in byte × 256 units. */
@inline
function warpLevel(image: usize, sx: i32, sy: i32): i32 {
  const x0 = sx >> 16;
  const y0 = sy >> 16;
  const fx = (sx >> 8) & 255;
  const fy = (sy >> 8) & 255;
  let top: i32;
  let bottom: i32;
  if (<u32>x0 < <u32>(SIDE - 1) && <u32>y0 < <u32>(SIDE - 1)) {
    const at = image + <usize>(y0 * SIDE + x0);
    top = <i32>load<u8>(at) * (256 - fx) + <i32>load<u8>(at, 1) * fx;
    bottom = <i32>load<u8>(at, SIDE) * (256 - fx) + <i32>load<u8>(at, SIDE + 1) * fx;
  } else {
    top = sourceByte(image, x0, y0) * (256 - fx) + sourceByte(image, x0 + 1, y0) * fx;
    bottom = sourceByte(image, x0, y0 + 1) * (256 - fx) + sourceByte(image, x0 + 1, y0 + 1) * fx;
  }
  return (top * (256 - fy) + bottom * fy) >> 8;
}

/** Intensity 1.0 in warp levels (byte × 256). */
const WARP_ONE: f64 = 255 * 256;
/** Warped levels below this (a byte of 16) are dropped, as in augmentation.ts. */
const INK_FLOOR: i32 = 16 * 256;

/**
 * Lists the non-zero pixels of the image warped by the transform at `t`, as `gatherImage`
 * does for a plain image; returns how many. Same integer arithmetic as warpImage in
 * src/engine/augmentation.ts, so the result is identical, but only over the output box the
 * source's ink can reach: outside it every bilinear tap reads 0.
 */
function gatherWarped(image: usize, t: usize, pixels: usize, values: usize): i32 {
  if (!measureInk(image)) return 0;
  const a = toFixedPoint(load<f32>(t), 16);
  const b = toFixedPoint(load<f32>(t, 4), 16);
  const c = toFixedPoint(load<f32>(t, 8), 16);
  const d = toFixedPoint(load<f32>(t, 12), 16);
  const e = toFixedPoint(load<f32>(t, 16), 16);
  const f = toFixedPoint(load<f32>(t, 20), 16);
  const stroke = load<f32>(t, 24);

  // Output points whose source lies strictly inside (ink box ± 1): map its corners forward.
  const fa = <f64>a, fb = <f64>b, fd = <f64>d, fe = <f64>e;
  const det = fa * fe - fb * fd;
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let corner = 0; corner < 4; corner++) {
    const sx = <f64>(((corner & 1) != 0 ? inkCol1 + 1 : inkCol0 - 1) << 16) - <f64>c;
    const sy = <f64>(((corner & 2) != 0 ? inkRow1 + 1 : inkRow0 - 1) << 16) - <f64>f;
    const ox = (fe * sx - fb * sy) / det;
    const oy = (fa * sy - fd * sx) / det;
    xMin = Math.min(xMin, ox);
    xMax = Math.max(xMax, ox);
    yMin = Math.min(yMin, oy);
    yMax = Math.max(yMax, oy);
  }
  // One pixel of slack on each side absorbs the fixed-point rounding.
  const x0 = max(0, <i32>Math.floor(xMin) - 1);
  const x1 = min(SIDE - 1, <i32>Math.ceil(xMax) + 1);
  const y0 = max(0, <i32>Math.floor(yMin) - 1);
  const y1 = min(SIDE - 1, <i32>Math.ceil(yMax) + 1);
  if (x0 > x1 || y0 > y1) return 0;

  const amount = toFixedPoint(Mathf.abs(stroke), 8);
  let n = 0;
  if (amount == 0) {
    for (let y = y0; y <= y1; y++) {
      let sx = a * x0 + b * y + c;
      let sy = d * x0 + e * y + f;
      for (let x = x0; x <= x1; x++) {
        const v = warpLevel(image, sx, sy);
        if (v >= INK_FLOOR) {
          store<u16>(pixels + (<usize>n << 1), <u16>(y * SIDE + x));
          store<f32>(values + (<usize>n << 2), <f32>(<f64>v / WARP_ONE));
          n++;
        }
        sx += a;
        sy += d;
      }
    }
    return n;
  }

  for (let y = y0; y <= y1; y++) {
    let sx = a * x0 + b * y + c;
    let sy = d * x0 + e * y + f;
    for (let x = x0; x <= x1; x++) {
      store<i32>(warpBuffer + (<usize>(y * SIDE + x) << 2), warpLevel(image, sx, sy));
      sx += a;
      sy += d;
    }
  }
  // Thickening spreads ink one pixel further; thinning never creates ink.
  const thicken = stroke > 0;
  const sx0 = thicken ? max(0, x0 - 1) : x0;
  const sx1 = thicken ? min(SIDE - 1, x1 + 1) : x1;
  const sy0 = thicken ? max(0, y0 - 1) : y0;
  const sy1 = thicken ? min(SIDE - 1, y1 + 1) : y1;
  const rowBytes = <usize>(SIDE << 2);
  for (let y = sy0; y <= sy1; y++) {
    for (let x = sx0; x <= sx1; x++) {
      const p = y * SIDE + x;
      const at = warpBuffer + (<usize>p << 2);
      const v = load<i32>(at);
      const up = y > 0 ? load<i32>(at - rowBytes) : 0;
      const down = y < SIDE - 1 ? load<i32>(at + rowBytes) : 0;
      const left = x > 0 ? load<i32>(at - 4) : 0;
      const right = x < SIDE - 1 ? load<i32>(at + 4) : 0;
      const target = thicken ? max(max(max(v, up), max(down, left)), right) : min(min(min(v, up), min(down, left)), right);
      const changed = v + (((target - v) * amount) >> 8);
      if (changed >= INK_FLOOR) {
        store<u16>(pixels + (<usize>n << 1), <u16>p);
        store<f32>(values + (<usize>n << 2), <f32>(<f64>changed / WARP_ONE));
        n++;
      }
    }
  }
  for (let y = y0; y <= y1; y++) memory.fill(warpBuffer + (<usize>(y * SIDE + x0) << 2), 0, <usize>((x1 - x0 + 1) << 2));
  return n;
}

/**
 * hidden = ReLU(b1 + Σ x_i W1[i,:]) over the listed pixels, then the ten logits into
 * `out`. The hidden row is built in blocks of 16 units held in registers.
 */
function forwardSample(pixels: usize, values: usize, n: i32, h: usize, out: usize): void {
  const rowBytes = <usize>(padded << 2);
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= padded; j += 16) {
    const col = <usize>(j << 2);
    let a0 = v128.load(b1 + col);
    let a1 = v128.load(b1 + col, 16);
    let a2 = v128.load(b1 + col, 32);
    let a3 = v128.load(b1 + col, 48);
    for (let e = 0; e < n; e++) {
      const row = w1 + <usize>load<u16>(pixels + (<usize>e << 1)) * rowBytes + col;
      const x = f32x4.splat(load<f32>(values + (<usize>e << 2)));
      a0 = f32x4.add(a0, f32x4.mul(x, v128.load(row)));
      a1 = f32x4.add(a1, f32x4.mul(x, v128.load(row, 16)));
      a2 = f32x4.add(a2, f32x4.mul(x, v128.load(row, 32)));
      a3 = f32x4.add(a3, f32x4.mul(x, v128.load(row, 48)));
    }
    v128.store(h + col, f32x4.max(a0, zero));
    v128.store(h + col, f32x4.max(a1, zero), 16);
    v128.store(h + col, f32x4.max(a2, zero), 32);
    v128.store(h + col, f32x4.max(a3, zero), 48);
  }
  for (; j < padded; j += 4) {
    const col = <usize>(j << 2);
    let a = v128.load(b1 + col);
    for (let e = 0; e < n; e++) {
      const row = w1 + <usize>load<u16>(pixels + (<usize>e << 1)) * rowBytes + col;
      a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(values + (<usize>e << 2))), v128.load(row)));
    }
    v128.store(h + col, f32x4.max(a, zero));
  }
  for (let k = 0; k < CLASSES; k++) {
    const row = w2 + <usize>k * rowBytes;
    let acc = f32x4.splat(0);
    for (let jj = 0; jj < padded; jj += 4) {
      const col = <usize>(jj << 2);
      acc = f32x4.add(acc, f32x4.mul(v128.load(h + col), v128.load(row + col)));
    }
    const sum =
      f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    store<f32>(out + (<usize>k << 2), sum + load<f32>(b2 + (<usize>k << 2)));
  }
}

/**
 * Turns the logits at `out` into probabilities in place (stable softmax in f64) and returns
 * the cross-entropy for `label`; counts a correct argmax (first maximum wins). A negative
 * label (an unlabelled drawing) gives loss 0.
 */
function softmaxInPlace(out: usize, label: i32): f64 {
  let best = 0;
  let max = <f64>load<f32>(out);
  for (let k = 1; k < CLASSES; k++) {
    const z = <f64>load<f32>(out + (<usize>k << 2));
    if (z > max) {
      max = z;
      best = k;
    }
  }
  if (best == label) correct++;
  let total: f64 = 0;
  for (let k = 0; k < CLASSES; k++) total += Math.exp(<f64>load<f32>(out + (<usize>k << 2)) - max);
  const loss = label < 0 ? 0 : Math.log(total) - (<f64>load<f32>(out + (<usize>label << 2)) - max);
  for (let k = 0; k < CLASSES; k++) {
    const p = Math.exp(<f64>load<f32>(out + (<usize>k << 2)) - max) / total;
    store<f32>(out + (<usize>k << 2), <f32>p);
  }
  return loss;
}

// ---- backward ------------------------------------------------------------------------

/**
 * For one sample whose probabilities are at `out`: accumulates the layer-2 gradients and
 * b1's, and writes dHidden (already masked by ReLU') to `dh`. `scale` is 1/batch.
 */
function backwardSample(h: usize, dh: usize, out: usize, label: i32, scale: f32): void {
  const rowBytes = <usize>(padded << 2);
  for (let jj = 0; jj < padded; jj += 4) v128.store(dh + (<usize>jj << 2), f32x4.splat(0));
  for (let k = 0; k < CLASSES; k++) {
    const p = load<f32>(out + (<usize>k << 2));
    const d = (k == label ? p - 1 : p) * scale;
    store<f32>(gb2 + (<usize>k << 2), load<f32>(gb2 + (<usize>k << 2)) + d);
    const dv = f32x4.splat(d);
    const wRow = w2 + <usize>k * rowBytes;
    const gRow = gw2 + <usize>k * rowBytes;
    for (let jj = 0; jj < padded; jj += 4) {
      const col = <usize>(jj << 2);
      v128.store(gRow + col, f32x4.add(v128.load(gRow + col), f32x4.mul(dv, v128.load(h + col))));
      v128.store(dh + col, f32x4.add(v128.load(dh + col), f32x4.mul(dv, v128.load(wRow + col))));
    }
  }
  const zero = f32x4.splat(0);
  for (let jj = 0; jj < padded; jj += 4) {
    const col = <usize>(jj << 2);
    const masked = v128.and(v128.load(dh + col), f32x4.gt(v128.load(h + col), zero));
    v128.store(dh + col, masked);
    v128.store(gb1 + col, f32x4.add(v128.load(gb1 + col), masked));
  }
}

/**
 * Regroups the batch's non-zero pixels by pixel (counting sort), so each W1 row's gradient
 * Σ_s x_s,i dHidden_s can be summed while that row is hot.
 */
function groupByPixel(count: i32): void {
  memory.fill(rowStart, 0, <usize>(INPUT + 1) * 4);
  for (let s = 0; s < count; s++) {
    const n = load<i32>(nzCount + (<usize>s << 2));
    const pixels = nzPixel + <usize>s * <usize>INPUT * 2;
    for (let e = 0; e < n; e++) {
      const slot = rowStart + ((<usize>load<u16>(pixels + (<usize>e << 1)) + 1) << 2);
      store<i32>(slot, load<i32>(slot) + 1);
    }
  }
  for (let i = 0; i < INPUT; i++) {
    const slot = rowStart + (<usize>i << 2);
    store<i32>(slot + 4, load<i32>(slot + 4) + load<i32>(slot));
  }
  // Fill using rowStart[i] as a cursor; afterwards rowStart[i] is row i's end.
  for (let s = 0; s < count; s++) {
    const n = load<i32>(nzCount + (<usize>s << 2));
    const pixels = nzPixel + <usize>s * <usize>INPUT * 2;
    const values = nzValue + <usize>s * <usize>INPUT * F32;
    const dhOffset = <i32>(<usize>s * <usize>(padded << 2));
    for (let e = 0; e < n; e++) {
      const slot = rowStart + (<usize>load<u16>(pixels + (<usize>e << 1)) << 2);
      const at = <usize>load<i32>(slot);
      store<i32>(rowEntryOffset + (at << 2), dhOffset);
      store<f32>(rowEntryValue + (at << 2), load<f32>(values + (<usize>e << 2)));
      store<i32>(slot, <i32>at + 1);
    }
  }
}

/**
 * dest (+)= Σ over entries [begin, end) of x · dHidden_s, in blocks of 16 held in
 * registers; the entries and dHidden rows are one thread's (`groupByPixel`). Adds to what
 * dest holds when `add`, else overwrites it.
 */
function sumRowGradient(offsets: usize, values: usize, dh: usize, begin: i32, end: i32, dest: usize, add: bool): void {
  const zero = f32x4.splat(0);
  for (let j = 0; j < padded; j += 16) {
    const col = <usize>(j << 2);
    if (j + 16 <= padded) {
      let a0 = add ? v128.load(dest + col) : zero;
      let a1 = add ? v128.load(dest + col, 16) : zero;
      let a2 = add ? v128.load(dest + col, 32) : zero;
      let a3 = add ? v128.load(dest + col, 48) : zero;
      for (let e = begin; e < end; e++) {
        const src = dh + <usize>load<i32>(offsets + (<usize>e << 2)) + col;
        const x = f32x4.splat(load<f32>(values + (<usize>e << 2)));
        a0 = f32x4.add(a0, f32x4.mul(x, v128.load(src)));
        a1 = f32x4.add(a1, f32x4.mul(x, v128.load(src, 16)));
        a2 = f32x4.add(a2, f32x4.mul(x, v128.load(src, 32)));
        a3 = f32x4.add(a3, f32x4.mul(x, v128.load(src, 48)));
      }
      v128.store(dest + col, a0);
      v128.store(dest + col, a1, 16);
      v128.store(dest + col, a2, 32);
      v128.store(dest + col, a3, 48);
    } else {
      for (let jj = j; jj < padded; jj += 4) {
        const c = <usize>(jj << 2);
        let a = add ? v128.load(dest + c) : zero;
        for (let e = begin; e < end; e++) {
          const src = dh + <usize>load<i32>(offsets + (<usize>e << 2)) + c;
          a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(values + (<usize>e << 2))), v128.load(src)));
        }
        v128.store(dest + c, a);
      }
    }
  }
}

// ---- optimizers ----------------------------------------------------------------------

// Optimizer settings for the current batch, set by the trainBatch* entry points.
let useAdam = false;
let rate: f32 = 0;
let mu: f32 = 0;
let beta1: f32 = 0;
let beta2: f32 = 0;
let epsilon: f32 = 0;
let stepSize: f32 = 0;
let secondCorrection: f32 = 0;

/**
 * Applies the gradient `g` to `w` over `n` floats (a multiple of 4) and zeroes `g`.
 * SGD: v = μv + g; w -= ηv. Adam: m = β1 m + (1-β1) g; s = β2 s + (1-β2) g²;
 * w -= η/(1-β1^t) · m / (√s/√(1-β2^t) + ε).
 */
function update(w: usize, m: usize, s: usize, g: usize, n: i32): void {
  const bytes = <usize>(n << 2);
  if (useAdam) {
    const b1v = f32x4.splat(beta1);
    const c1 = f32x4.splat(1 - beta1);
    const b2v = f32x4.splat(beta2);
    const c2 = f32x4.splat(1 - beta2);
    const step = f32x4.splat(stepSize);
    const corr = f32x4.splat(secondCorrection);
    const eps = f32x4.splat(epsilon);
    for (let o: usize = 0; o < bytes; o += 16) {
      const grad = v128.load(g + o);
      const mNew = f32x4.add(f32x4.mul(b1v, v128.load(m + o)), f32x4.mul(c1, grad));
      const sNew = f32x4.add(f32x4.mul(b2v, v128.load(s + o)), f32x4.mul(c2, f32x4.mul(grad, grad)));
      v128.store(m + o, mNew);
      v128.store(s + o, sNew);
      const denom = f32x4.add(f32x4.mul(f32x4.sqrt(sNew), corr), eps);
      v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(step, mNew), denom)));
      v128.store(g + o, f32x4.splat(0));
    }
  } else {
    const muv = f32x4.splat(mu);
    const lr = f32x4.splat(rate);
    for (let o: usize = 0; o < bytes; o += 16) {
      const v = f32x4.add(f32x4.mul(muv, v128.load(m + o)), v128.load(g + o));
      v128.store(m + o, v);
      v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(lr, v)));
      v128.store(g + o, f32x4.splat(0));
    }
  }
}

// ---- entry points --------------------------------------------------------------------

/**
 * Forward and backward over the `count` rows listed at `rows` of the images (784 bytes
 * each) and labels at the given addresses, accumulating layer-2 and b1 gradients scaled by
 * `scale`, then groups the non-zero pixels by row. When `augmented`, row s is first warped
 * by transform s at `warps`. Returns the summed loss and counts hits into `correct`.
 */
function forwardBackward(images: usize, labels: usize, rows: usize, warps: usize, count: i32, augmented: bool, scale: f32): f64 {
  correct = 0;
  let lossSum: f64 = 0;
  const hBytes = <usize>(padded << 2);
  for (let s = 0; s < count; s++) {
    const row = <usize>load<i32>(rows + (<usize>s << 2));
    const pixels = nzPixel + <usize>s * <usize>INPUT * 2;
    const values = nzValue + <usize>s * <usize>INPUT * F32;
    const image = images + row * <usize>INPUT;
    const t = warps + <usize>(s * TRANSFORM_STRIDE * F32);
    const n = augmented && !isIdentity(t) ? gatherWarped(image, t, pixels, values) : gatherImage(image, pixels, values);
    store<i32>(nzCount + (<usize>s << 2), n);
    const h = hid + <usize>s * hBytes;
    const out = logits + (<usize>s << 6);
    const label = <i32>load<u8>(labels + row);
    forwardSample(pixels, values, n, h, out);
    lossSum += softmaxInPlace(out, label);
    backwardSample(h, dhid + <usize>s * hBytes, out, label, scale);
  }
  groupByPixel(count);
  return lossSum;
}

/** Adds `n` floats (a multiple of 4) at `source` into `dest`. */
function addInto(dest: usize, source: usize, n: i32): void {
  const bytes = <usize>(n << 2);
  for (let o: usize = 0; o < bytes; o += 16) v128.store(dest + o, f32x4.add(v128.load(dest + o), v128.load(source + o)));
}

// The other thread's work area when a batch is shared (see `setPartner`).
let partnerRows: usize = 0;
let partnerOffsets: usize = 0;
let partnerValues: usize = 0;
let partnerDhid: usize = 0;
let partnerGb1: usize = 0;
let partnerGw2: usize = 0;
let partnerGb2: usize = 0;

/** Where the other thread's work area is: the values of its `*Ptr()` exports below. */
export function setPartner(rows: usize, offsets: usize, values: usize, dh: usize, gb1At: usize, gw2At: usize, gb2At: usize): void {
  partnerRows = rows;
  partnerOffsets = offsets;
  partnerValues = values;
  partnerDhid = dh;
  partnerGb1 = gb1At;
  partnerGw2 = gw2At;
  partnerGb2 = gb2At;
}

/**
 * One thread's half of a shared batch: forward and backward over `count` rows listed at
 * `rows` (transforms at `warps`), gradients scaled by `scale` (the weight over the whole
 * batch's size), then its pixels grouped by row. Returns the summed loss; see `lastCorrect`.
 */
export function halfGradients(images: usize, labels: usize, rows: usize, warps: usize, count: i32, augmented: bool, scale: f32): f64 {
  // The helper's layer-2 gradients were read by the main thread, never cleared by `update`.
  memory.fill(gb1, 0, <usize>(padded << 2));
  memory.fill(gw2, 0, <usize>(CLASSES * padded * F32));
  memory.fill(gb2, 0, 16 * F32);
  return forwardBackward(images, labels, rows, warps, count, augmented, scale);
}

/**
 * The W1 row where the two threads' row updates split, once both halves are grouped: the
 * rows before it cost about as much as the rows after (entries to sum, plus one per row).
 */
export function splitRow(): i32 {
  const total = load<i32>(rowStart + <usize>((INPUT - 1) << 2)) + load<i32>(partnerRows + <usize>((INPUT - 1) << 2)) + INPUT;
  for (let i = 0; i < INPUT; i++) {
    const before = load<i32>(rowStart + (<usize>i << 2)) + load<i32>(partnerRows + (<usize>i << 2)) + i + 1;
    if (before * 2 >= total) return i + 1;
  }
  return INPUT;
}

/**
 * Updates W1 rows [first, last) on the whole batch's gradient: both threads' entries for
 * each row summed into this thread's gradRow. The two threads take disjoint row ranges.
 */
export function updateRows(first: i32, last: i32, shared: bool): void {
  const hBytes = <usize>(padded << 2);
  let begin = first == 0 ? 0 : load<i32>(rowStart + (<usize>(first - 1) << 2));
  let partnerBegin = shared && first > 0 ? load<i32>(partnerRows + (<usize>(first - 1) << 2)) : 0;
  for (let i = first; i < last; i++) {
    const end = load<i32>(rowStart + (<usize>i << 2));
    const partnerEnd = shared ? load<i32>(partnerRows + (<usize>i << 2)) : 0;
    const own = end > begin;
    const theirs = partnerEnd > partnerBegin;
    // An untouched row has a zero gradient but still moves with its momentum; plain SGD
    // (μ = 0) leaves it alone, which matters for batch size 1. gradRow is zero unless
    // written here: `update` clears it.
    if (own || theirs || useAdam || mu != 0) {
      if (own) sumRowGradient(rowEntryOffset, rowEntryValue, dhid, begin, end, gradRow, false);
      if (theirs) sumRowGradient(partnerOffsets, partnerValues, partnerDhid, partnerBegin, partnerEnd, gradRow, own);
      const at = <usize>i * hBytes;
      update(w1 + at, mw1 + at, sw1 + at, gradRow, padded);
    }
    begin = end;
    partnerBegin = partnerEnd;
  }
}

/** Updates b1, W2 and b2, adding the other thread's gradients first when `shared`. */
function updateLayer2(shared: bool): void {
  if (shared) {
    addInto(gb1, partnerGb1, padded);
    addInto(gw2, partnerGw2, CLASSES * padded);
    addInto(gb2, partnerGb2, 12);
  }
  update(b1, mb1, sb1, gb1, padded);
  update(w2, mw2, sw2, gw2, CLASSES * padded);
  // b2's 10 values rounded up to whole v128s; lanes 10 and 11 stay 0.
  update(b2, mb2, sb2, gb2, 12);
}

/**
 * Forward and backward over the `count` rows listed at `indicesPtr()` (see
 * `forwardBackward`), then one optimizer step on the mean gradient times `weight`. Returns
 * the summed loss; see `lastCorrect`.
 */
function trainBatch(images: usize, labels: usize, count: i32, augmented: bool, weight: f32): f64 {
  const lossSum = forwardBackward(images, labels, indices, transforms, count, augmented, weight / <f32>count);
  updateRows(0, INPUT, false);
  updateLayer2(false);
  return lossSum;
}

/** The main thread's last step of a shared batch, after both threads' `updateRows`. */
export function finishSharedBatch(): void {
  updateLayer2(true);
}

export function useSgd(learningRate: f32, momentum: f32): void {
  useAdam = false;
  rate = learningRate;
  mu = momentum;
}

/** `step` is the 1-based Adam step count t used for bias correction. */
export function useAdamStep(learningRate: f32, b1Rate: f32, b2Rate: f32, eps: f32, step: i32): void {
  setAdam(learningRate, b1Rate, b2Rate, eps, step);
}

function setAdam(learningRate: f32, b1Rate: f32, b2Rate: f32, eps: f32, step: i32): void {
  useAdam = true;
  beta1 = b1Rate;
  beta2 = b2Rate;
  epsilon = eps;
  stepSize = <f32>(<f64>learningRate / (1 - Math.pow(<f64>b1Rate, <f64>step)));
  secondCorrection = <f32>(1 / Math.sqrt(1 - Math.pow(<f64>b2Rate, <f64>step)));
}

export function trainBatchSgd(
  images: usize,
  labels: usize,
  count: i32,
  augmented: bool,
  weight: f32,
  learningRate: f32,
  momentum: f32,
): f64 {
  useAdam = false;
  rate = learningRate;
  mu = momentum;
  return trainBatch(images, labels, count, augmented, weight);
}

/** `step` is the 1-based Adam step count t used for bias correction. */
export function trainBatchAdam(
  images: usize,
  labels: usize,
  count: i32,
  augmented: bool,
  weight: f32,
  learningRate: f32,
  b1Rate: f32,
  b2Rate: f32,
  eps: f32,
  step: i32,
): f64 {
  setAdam(learningRate, b1Rate, b2Rate, eps, step);
  return trainBatch(images, labels, count, augmented, weight);
}

/** Summed loss over rows start..start+count-1 of the given images and labels; see `lastCorrect`. */
export function evaluate(images: usize, labels: usize, start: i32, count: i32): f64 {
  correct = 0;
  let lossSum: f64 = 0;
  for (let r = start; r < start + count; r++) {
    const row = <usize>r;
    const n = gatherImage(images + row * <usize>INPUT, nzPixel, nzValue);
    forwardSample(nzPixel, nzValue, n, hid, logits);
    lossSum += softmaxInPlace(logits, <i32>load<u8>(labels + row));
  }
  return lossSum;
}

/** Class probabilities for the 784 intensities at `inputPtr()`, written to `outputPtr()`. */
export function predict(): void {
  const n = gatherFloats(input, nzPixel, nzValue);
  forwardSample(nzPixel, nzValue, n, hid, output);
  softmaxInPlace(output, -1);
}
