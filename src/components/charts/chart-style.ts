// Shared look of the charts: one colour per series across both charts.

export const SERIES_COLORS = {
  train: '#2563eb',
  validation: '#ea580c',
  test: '#16a34a',
} as const;

export const CHART_HEIGHT_PX = 240;

export function formatSamples(samples: number): string {
  if (samples >= 1e6) return `${(samples / 1e6).toFixed(samples >= 1e7 ? 0 : 1)}M`;
  if (samples >= 1e3) return `${(samples / 1e3).toFixed(samples >= 1e4 ? 0 : 1)}k`;
  return String(samples);
}
