import { useMemo } from 'react';
import type { ChartRow } from '../../client/chart-series';
import { useAccuracyRows, useLossRows } from '../../hooks/use-chart-rows';
import { MetricChart, type ChartLine } from './metric-chart';

const LOSS_LINES: readonly ChartLine[] = [
  { key: 'train', label: 'Training loss (smoothed)', sparse: false },
  { key: 'validation', label: 'Validation loss', sparse: true },
];

const ACCURACY_LINES: readonly ChartLine[] = [
  { key: 'train', label: 'Training (running, smoothed)', sparse: false },
  { key: 'validation', label: 'Validation', sparse: true },
  { key: 'test', label: 'Test', sparse: true },
];

const formatLoss = (value: number) => value.toPrecision(4);
const formatLossTick = (value: number) => String(Number(value.toPrecision(2)));
const formatAccuracy = (value: number) => `${(value * 100).toFixed(2)}%`;
const formatAccuracyTick = (value: number) => `${Number((value * 100).toFixed(1))}%`;

const ACCURACY_DOMAIN: [number | 'auto', number] = ['auto', 1];
/** Log bounds snap to quarter decades, so the axis (and the chart's props) rarely change. */
const STEPS_PER_DECADE = 4;

/** Bounds that hold every loss point: the log scale's automatic domain clips outliers. */
function logBounds(rows: readonly ChartRow[]): [number, number] {
  let low = Infinity;
  let high = 0;
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (key === 'samples' || !(value > 0)) continue;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  if (!(high > 0)) return [0.01, 10];
  const snap = (value: number, round: (x: number) => number) =>
    10 ** (round(Math.log10(value) * STEPS_PER_DECADE) / STEPS_PER_DECADE);
  return [snap(low, Math.floor), snap(high, Math.ceil)];
}

/** 1, 2 and 5 times each power of ten inside the bounds: readable ticks on a log axis. */
function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(low)); 10 ** exponent <= high; exponent++) {
    for (const mantissa of [1, 2, 5]) {
      const tick = Number((mantissa * 10 ** exponent).toPrecision(1));
      if (tick >= low && tick <= high) ticks.push(tick);
    }
  }
  return ticks;
}

function useLogAxis(rows: readonly ChartRow[]): { domain: [number, number]; ticks: number[] } {
  const [low, high] = logBounds(rows);
  return useMemo(() => ({ domain: [low, high], ticks: logTicks(low, high) }), [low, high]);
}

export function TrainingCharts() {
  return (
    <div className="charts">
      <LossChart />
      <AccuracyChart />
    </div>
  );
}

function LossChart() {
  const rows = useLossRows();
  const axis = useLogAxis(rows);
  return (
      <MetricChart
        testId="loss-chart"
        title="Loss (cross-entropy)"
        rows={rows}
        lines={LOSS_LINES}
        formatValue={formatLoss}
        formatTick={formatLossTick}
        yScale="log"
        yDomain={axis.domain}
        yTicks={axis.ticks}
      />
  );
}

function AccuracyChart() {
  const rows = useAccuracyRows();
  return (
      <MetricChart
        testId="accuracy-chart"
        title="Accuracy"
        rows={rows}
        lines={ACCURACY_LINES}
        formatValue={formatAccuracy}
        formatTick={formatAccuracyTick}
        yScale="linear"
        yDomain={ACCURACY_DOMAIN}
      />
  );
}
