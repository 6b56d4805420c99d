// A live line chart of one quantity against samples seen. Animation is off and the rows are
// already downsampled, so a render costs the same after a minute or after hours.

import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartRow } from '../../client/chart-series';
import { CHART_HEIGHT_PX, SERIES_COLORS, formatSamples } from './chart-style';

export interface ChartLine {
  readonly key: keyof typeof SERIES_COLORS;
  readonly label: string;
  /** Evaluation series are sparse: a few points joined by a thicker line. */
  readonly sparse: boolean;
}

interface MetricChartProps {
  readonly testId: string;
  readonly title: string;
  readonly rows: readonly ChartRow[];
  readonly lines: readonly ChartLine[];
  /** Exact values, for the tooltip. */
  readonly formatValue: (value: number) => string;
  /** Short values, for the axis. */
  readonly formatTick: (value: number) => string;
  readonly yScale: 'linear' | 'log';
  readonly yDomain: [number | 'auto' | 'dataMin', number | 'auto' | 'dataMax'];
  /** Where the y ticks go; Recharts chooses when absent. */
  readonly yTicks?: readonly number[];
}

// Recharts copies every prop into its internal store and re-renders synchronously when one
// changes, so all props but the data are constants: a new object literal on each update
// would cost a second full chart render per update.
const CHART_MARGIN = { top: 8, right: 16, bottom: 4, left: 0 };
const TICK_STYLE = { fontSize: 12 };
const X_DOMAIN: [number, 'dataMax'] = [0, 'dataMax'];
const X_LABEL = { value: 'samples seen', position: 'insideBottomRight', offset: -2, fontSize: 11 } as const;
const ACTIVE_DOT = { r: 4 };
const formatTooltipLabel = (samples: unknown) => `${Number(samples).toLocaleString('en-US')} samples`;

export const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const empty = props.rows.length === 0;
  const { formatValue } = props;
  const formatTooltipValue = useMemo(() => (value: unknown) => formatValue(Number(value)), [formatValue]);
  return (
    <figure className="chart" data-testid={props.testId} data-points={props.rows.length}>
      <figcaption>{props.title}</figcaption>
      {/* Plain HTML rather than Recharts' Legend, which measures itself in the DOM on every update. */}
      <ul className="chart-legend">
        {props.lines.map((line) => (
          <li key={line.key}>
            <span className="chart-swatch" style={{ background: SERIES_COLORS[line.key], height: line.sparse ? 3 : 2 }} />
            {line.label}
          </li>
        ))}
      </ul>
      {/* The chart stays mounted while empty: mounting Recharts is its costliest render, and
          doing it at page load keeps that cost out of the first seconds of training. */}
      <div className="chart-plot">
        {empty && <p className="chart-empty">Press Start to watch the network learn.</p>}
        <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
          <LineChart data={props.rows as ChartRow[]} margin={CHART_MARGIN}>
            <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
            <XAxis
              dataKey="samples"
              type="number"
              domain={X_DOMAIN}
              tickFormatter={formatSamples}
              // Show every tick: skipping overlapping ones makes Recharts measure label text in the DOM.
              interval={0}
              tick={TICK_STYLE}
              label={X_LABEL}
            />
            <YAxis
              scale={props.yScale}
              domain={props.yDomain}
              ticks={props.yTicks as number[] | undefined}
              tickFormatter={props.formatTick}
              interval={0}
              tick={TICK_STYLE}
              width={56}
            />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={formatTooltipLabel}
              formatter={formatTooltipValue}
            />
            {props.lines.map((line) => (
              <Line
                key={line.key}
                dataKey={line.key}
                name={line.label}
                stroke={SERIES_COLORS[line.key]}
                strokeWidth={line.sparse ? 2.5 : 1.5}
                // Dots cost Recharts work for every row of every series; the evaluation lines
                // are drawn thicker instead, and the hovered point still gets a dot.
                dot={false}
                activeDot={ACTIVE_DOT}
                connectNulls
                isAnimationActive={false}
                type="linear"
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});
