// Turns measured runs into the printed table and the summary JSON (the last stdout line
// and bench-results/latest.json).

import type { EpochMeasurement, RunMeasurement } from './measure-training';

export interface BenchRow extends RunMeasurement {
  runtime: 'node' | 'chromium';
  /** Our engine or the TF.js reference on the same model. */
  engine: 'ours' | 'tfjs';
  backend: string;
  workers: number;
  /** Free-form facts about the row, e.g. the TF.js wasm flavour. */
  notes: string;
}

export interface BenchSummary {
  /** The runtime the headline numbers come from: Chromium, or Node when Chromium was not run. */
  runtime: BenchRow['runtime'] | null;
  samplesPerSec: number | null;
  testAccuracy: number | null;
  epochs: number | null;
  secondsTo97: number | null;
  backend: string | null;
  workers: number | null;
  tfjsSamplesPerSec: number | null;
  /** Ours / TF.js, both in Chromium; null unless both ran. */
  ratio: number | null;
  crossOriginIsolated: boolean | null;
  /** Seconds from Start to ≥ 97% test accuracy shown in the real app; null if not run or not reached. */
  pageSecondsTo97: number | null;
  batchSize: number;
  runs: BenchRow[];
}

/** Headline = our fastest backend in Chromium (else in Node), against TF.js in Chromium. */
export function summarize(
  runs: readonly BenchRow[],
  context: { batchSize: number; crossOriginIsolated: boolean | null; pageSecondsTo97: number | null },
): BenchSummary {
  const ours = runs.filter((row) => row.engine === 'ours');
  const headlinePool = ours.some((row) => row.runtime === 'chromium')
    ? ours.filter((row) => row.runtime === 'chromium')
    : ours;
  const best = fastest(headlinePool);
  const tfjs = fastest(runs.filter((row) => row.engine === 'tfjs' && row.runtime === 'chromium'));
  const ratio =
    best !== null && tfjs !== null && best.runtime === 'chromium' && tfjs.samplesPerSec > 0
      ? best.samplesPerSec / tfjs.samplesPerSec
      : null;
  return {
    runtime: best?.runtime ?? null,
    samplesPerSec: best?.samplesPerSec ?? null,
    testAccuracy: best?.testAccuracy ?? null,
    epochs: best?.epochs.length ?? null,
    secondsTo97: best?.secondsTo97 ?? null,
    backend: best?.backend ?? null,
    workers: best?.workers ?? null,
    tfjsSamplesPerSec: tfjs?.samplesPerSec ?? null,
    ratio,
    crossOriginIsolated: context.crossOriginIsolated,
    pageSecondsTo97: context.pageSecondsTo97,
    batchSize: context.batchSize,
    runs: [...runs],
  };
}

function fastest(rows: readonly BenchRow[]): BenchRow | null {
  let best: BenchRow | null = null;
  for (const row of rows) if (best === null || row.samplesPerSec > best.samplesPerSec) best = row;
  return best;
}

const COLUMNS = ['runtime', 'backend', 'workers', 'samples/s', 'test acc', 'secondsTo97', 'epochs', 'notes'] as const;

export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => [
    row.runtime,
    row.backend,
    String(row.workers),
    Math.round(row.samplesPerSec).toLocaleString('en-US'),
    row.testAccuracy.toFixed(4),
    row.secondsTo97 === null ? 'null' : row.secondsTo97.toFixed(1),
    String(row.epochs.length),
    row.diverged ? `DIVERGED; ${row.notes}` : row.notes,
  ]);
  const widths = COLUMNS.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
  const render = (line: readonly string[]) => line.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [render(COLUMNS), render(widths.map((width) => '-'.repeat(width))), ...cells.map(render)].join('\n');
}

export function formatEpoch(label: string, epoch: EpochMeasurement): string {
  return (
    `${label} epoch ${epoch.epoch}: ${Math.round(epoch.samplesPerSec).toLocaleString('en-US')} samples/s, ` +
    `test accuracy ${epoch.testAccuracy.toFixed(4)}, ${epoch.wallSeconds.toFixed(2)} s`
  );
}
