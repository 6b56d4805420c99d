import { useChartRows } from '../../hooks/use-chart-rows';
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

const formatLoss = (value: number) => (value >= 1 ? value.toFixed(2) : value.toPrecision(3));
const formatAccuracy = (value: number) => `${(value * 100).toFixed(value > 0.99 ? 2 : 1)}%`;

export function TrainingCharts() {
  const rows = useChartRows();
  return (
    <div className="charts">
      <MetricChart
        testId="loss-chart"
        title="Loss (cross-entropy)"
        rows={rows.loss}
        lines={LOSS_LINES}
        formatValue={formatLoss}
        yScale="log"
        yDomain={['auto', 'auto']}
      />
      <MetricChart
        testId="accuracy-chart"
        title="Accuracy"
        rows={rows.accuracy}
        lines={ACCURACY_LINES}
        formatValue={formatAccuracy}
        yScale="linear"
        yDomain={['auto', 1]}
      />
    </div>
  );
}
