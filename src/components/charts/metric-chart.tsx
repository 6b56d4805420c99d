// A live line chart of one quantity against samples seen. Animation is off and the rows are
// already downsampled, so a render costs the same after a minute or after hours.

import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
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
}

export const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const empty = props.rows.length === 0;
  return (
    <figure className="chart" data-testid={props.testId} data-points={props.rows.length}>
      <figcaption>{props.title}</figcaption>
      {empty ? (
        <div className="chart-empty" style={{ height: CHART_HEIGHT_PX }}>
          Press Start to watch the network learn.
        </div>
      ) : (
        <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
          <LineChart data={props.rows as ChartRow[]} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
            <XAxis
              dataKey="samples"
              type="number"
              domain={[0, 'dataMax']}
              tickFormatter={formatSamples}
              // Show every tick: skipping overlapping ones makes Recharts measure label text in the DOM.
              interval={0}
              tick={{ fontSize: 12 }}
              label={{ value: 'samples seen', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
            />
            <YAxis
              scale={props.yScale}
              domain={props.yDomain}
              tickFormatter={props.formatTick}
              interval={0}
              tick={{ fontSize: 12 }}
              width={56}
            />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(samples) => `${Number(samples).toLocaleString('en-US')} samples`}
              formatter={(value) => props.formatValue(Number(value))}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
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
                activeDot={{ r: 4 }}
                connectNulls
                isAnimationActive={false}
                type="linear"
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
});
