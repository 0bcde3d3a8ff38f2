// The memory chart: RAM used (filled), the page cache, and swap in use, in bytes against the machine's total.
import type { HistoryFixedSeries, HistoryMetric } from '../../protocol/metrics-history';
import { column, type ChartDefinition, type HoverValue, type SeriesSpec, type TooltipRow, type ValuePart, type ViewContext, type YAxisSpec } from './chart-definition';
import type { MetricStore } from './metric-store';
import type { Palette } from './theme-palette';
import { formatBytes, formatPercent } from './units';

interface MemorySeries {
  key: HistoryFixedSeries;
  label: string;
  colour(palette: Palette): string;
}

const SERIES: readonly MemorySeries[] = [
  { key: 'mem.used', label: 'used', colour: (p) => p.sources[1]! },
  { key: 'mem.cached', label: 'cached', colour: (p) => p.sources[4]! },
  { key: 'mem.swapUsed', label: 'swap', colour: (p) => p.warn },
];

export class MemoryChart implements ChartDefinition {
  readonly id = 'memory';
  readonly title = 'Memory';
  readonly metrics: readonly HistoryMetric[] = [...SERIES.map((s) => s.key), 'mem.total', 'mem.swapTotal'];
  readonly reduce = 'decimation';

  series({ palette }: ViewContext): readonly SeriesSpec[] {
    return SERIES.map(({ key, label, colour }) => {
      const c = colour(palette);
      return {
        key,
        legend: { id: key, label, colour: c },
        read: column(key),
        style:
          key === 'mem.used'
            ? { colour: c, width: 1.5, fill: 'origin', fillAlpha: 0.18 }
            : { colour: c, width: 1.5, fill: false, dash: key === 'mem.swapUsed' ? [5, 3] : [] },
      };
    });
  }

  yAxis({ store }: ViewContext): YAxisSpec {
    const total = store.latest('mem.total');
    const swapUsed = store.latest('mem.swapUsed');
    const axis: YAxisSpec = { format: formatBytes, ticks: 'bytes', min: 0 };
    // The top is the machine's RAM, so "used" reads as how full it is (swap in use beyond it is rare).
    if (Number.isFinite(total) && total > 0) axis.max = Number.isFinite(swapUsed) ? Math.max(total, swapUsed) : total;
    return axis;
  }

  headline(store: MetricStore): readonly ValuePart[] {
    const used = store.latest('mem.used');
    const total = store.latest('mem.total');
    const parts: ValuePart[] = [{ text: `${formatBytes(used)} of ${formatBytes(total)}` }];
    if (total > 0) parts.push({ text: formatPercent((used / total) * 100), tone: 'muted' });
    if (store.latest('mem.swapTotal') > 0) parts.push({ text: `swap ${formatBytes(store.latest('mem.swapUsed'))}`, tone: 'muted' });
    return parts;
  }

  tooltip(values: readonly HoverValue[], { palette }: ViewContext): readonly TooltipRow[] {
    return SERIES.flatMap(({ key, label, colour }) => {
      const value = values.find((v) => v.key === key);
      return value === undefined ? [] : [{ colour: colour(palette), label, values: [{ text: formatBytes(value.y) }] }];
    });
  }
}
