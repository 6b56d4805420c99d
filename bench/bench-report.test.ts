import { describe, expect, it } from 'vitest';
import { formatEpoch, formatTable, summarize, type BenchRow } from './bench-report';

function row(overrides: Partial<BenchRow>): BenchRow {
  return {
    runtime: 'chromium',
    engine: 'ours',
    backend: 'typescript',
    workers: 1,
    notes: '',
    epochs: [{ epoch: 1, samples: 54_000, samplesPerSec: 20_000, testAccuracy: 0.96, wallSeconds: 3 }],
    samplesPerSec: 20_000,
    testAccuracy: 0.96,
    secondsTo97: null,
    diverged: false,
    ...overrides,
  };
}

describe('summarize', () => {
  it('headlines our fastest Chromium backend and divides it by TF.js in Chromium', () => {
    const runs = [
      row({ runtime: 'node', samplesPerSec: 90_000 }),
      row({ backend: 'slow', samplesPerSec: 10_000 }),
      row({ backend: 'fast', samplesPerSec: 30_000, testAccuracy: 0.975, secondsTo97: 4.5, workers: 2 }),
      row({ engine: 'tfjs', backend: 'tfjs-wasm', samplesPerSec: 12_000 }),
    ];
    const summary = summarize(runs, { batchSize: 64, crossOriginIsolated: true, pageSecondsTo97: 1.4 });
    expect(summary).toMatchObject({
      runtime: 'chromium',
      backend: 'fast',
      samplesPerSec: 30_000,
      testAccuracy: 0.975,
      secondsTo97: 4.5,
      workers: 2,
      epochs: 1,
      tfjsSamplesPerSec: 12_000,
      crossOriginIsolated: true,
      pageSecondsTo97: 1.4,
      batchSize: 64,
    });
    expect(summary.ratio).toBeCloseTo(2.5, 12);
    expect(summary.runs).toHaveLength(4);
  });

  it('falls back to Node without a ratio when Chromium did not run', () => {
    const summary = summarize([row({ runtime: 'node', samplesPerSec: 25_000 })], {
      batchSize: 64,
      crossOriginIsolated: null,
      pageSecondsTo97: null,
    });
    expect(summary.runtime).toBe('node');
    expect(summary.samplesPerSec).toBe(25_000);
    expect(summary.tfjsSamplesPerSec).toBeNull();
    expect(summary.ratio).toBeNull();
  });

  it('is all null for no runs', () => {
    const summary = summarize([], { batchSize: 64, crossOriginIsolated: null, pageSecondsTo97: null });
    expect(summary.samplesPerSec).toBeNull();
    expect(summary.backend).toBeNull();
    expect(summary.ratio).toBeNull();
  });
});

describe('formatTable', () => {
  it('prints a header and one aligned line per row', () => {
    const table = formatTable([
      row({ runtime: 'node', samplesPerSec: 24_331.4, testAccuracy: 0.97512, secondsTo97: 6.04 }),
      row({ engine: 'tfjs', backend: 'tfjs-wasm', workers: 2, notes: 'simd, 2 threads', diverged: true }),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^runtime\s+backend\s+workers\s+samples\/s\s+test acc\s+secondsTo97\s+epochs\s+notes$/);
    expect(lines[2]).toMatch(/^node\s+typescript\s+1\s+24,331\s+0\.9751\s+6\.0\s+1$/);
    expect(lines[3]).toMatch(/^chromium\s+tfjs-wasm\s+2\s+20,000\s+0\.9600\s+null\s+1\s+DIVERGED; simd, 2 threads$/);
    // Columns line up: "backend" starts at the same offset on every line.
    const offsets = [lines[0].indexOf('backend'), lines[2].indexOf('typescript'), lines[3].indexOf('tfjs-wasm')];
    expect(new Set(offsets).size).toBe(1);
  });
});

describe('formatEpoch', () => {
  it('rounds throughput and shows accuracy and wall time', () => {
    const text = formatEpoch('node/typescript', {
      epoch: 2,
      samples: 54_000,
      samplesPerSec: 23_456.7,
      testAccuracy: 0.97123,
      wallSeconds: 2.345,
    });
    expect(text).toBe('node/typescript epoch 2: 23,457 samples/s, test accuracy 0.9712, 2.35 s');
  });
});
