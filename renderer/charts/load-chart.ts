// The load chart: the 1, 5 and 15 minute load averages, with a dashed line at the core count (a load above it
// means work is queueing for a CPU).
import type { HistoryFixedSeries, HistoryMetric } from '../../protocol/metrics-history';
import { column, type ChartDefinition, type HoverValue, type ReferenceLine, type SeriesSpec, type TooltipRow, type ValuePart, type ViewContext, type YAxisSpec } from './chart-definition';
import type { MetricStore } from './metric-store';
import { coresInNewest } from './sample-rows';
import type { Palette } from './theme-palette';
import { formatLoad } from './units';

interface LoadSeries {
  key: HistoryFixedSeries;
  label: string;
  width: number;
  colour(palette: Palette): string;
}

const SERIES: readonly LoadSeries[] = [
  { key: 'load.1', label: '1 min', width: 2, colour: (p) => p.sources[0]! },
  { key: 'load.5', label: '5 min', width: 1.5, colour: (p) => p.sources[1]! },
  { key: 'load.15', label: '15 min', width: 1.5, colour: (p) => p.sources[5]! },
];

export class LoadChart implements ChartDefinition {
  readonly id = 'load';
  readonly title = 'Load';
  readonly metrics: readonly HistoryMetric[] = SERIES.map((s) => s.key);
  readonly reduce = 'decimation';

  series({ palette }: ViewContext): readonly SeriesSpec[] {
    return SERIES.map(({ key, label, width, colour }) => ({
      key,
      legend: { id: key, label, colour: colour(palette) },
      read: column(key),
      style: { colour: colour(palette), width, fill: false },
    }));
  }

  yAxis(): YAxisSpec {
    // Below 1 the scale stays at 0–1: an idle machine's 0.02 should look idle, not fill the chart.
    return { format: (v) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1)), ticks: 'auto', min: 0, suggestedMax: 1 };
  }

  references({ store, palette }: ViewContext): readonly ReferenceLine[] {
    const cores = coresInNewest(store);
    return cores > 0 ? [{ y: cores, label: `${cores} cores`, colour: palette.warn }] : [];
  }

  headline(store: MetricStore): readonly ValuePart[] {
    return SERIES.map(({ key }, i) => ({ text: formatLoad(store.latest(key)), tone: i === 0 ? undefined : 'muted' }));
  }

  tooltip(values: readonly HoverValue[], { palette }: ViewContext): readonly TooltipRow[] {
    return SERIES.flatMap(({ key, label, colour }) => {
      const value = values.find((v) => v.key === key);
      return value === undefined ? [] : [{ colour: colour(palette), label, values: [{ text: formatLoad(value.y) }] }];
    });
  }
}
