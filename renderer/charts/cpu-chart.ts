// The CPU chart: busy % of the whole machine as a filled line, and per core as thin lines (switchable), so a
// single pegged core shows even when the total looks calm. The per-core choice is a setting, kept across reloads.
import { historySeriesKey, type HistoryFixedSeries, type HistoryMetric } from '../../protocol/metrics-history';
import type { SettingsStore } from '../services/settings-store';
import { column, type CardToggle, type ChartDefinition, type HoverValue, type SeriesSpec, type TooltipRow, type ValuePart, type ViewContext, type YAxisSpec } from './chart-definition';
import type { MetricStore } from './metric-store';
import { coresInNewest } from './sample-rows';
import { withAlpha } from './theme-palette';
import { naturalOrder, TopNames } from './top-names';
import { formatPercent } from './units';

/** Per-core lines drawn at most: the busiest cores of the range (the total line covers all of them). */
const CORES_SHOWN = 16;
/** Cores listed in the tooltip under the total, busiest first. */
const CORES_IN_TOOLTIP = 4;
/** Per-core lines fade as there are more of them: two stand out, sixteen make a band behind the total. */
const coreOpacity = (cores: number): number => Math.min(0.8, Math.max(0.35, 0.9 - 0.035 * cores));
/** Rows read per core to rank cores by activity. */
const ACTIVITY_READS = 120;
const TOTAL: HistoryFixedSeries = 'cpu.total';

export class CpuChart implements ChartDefinition {
  readonly id = 'cpu';
  readonly title = 'CPU';
  readonly metrics: readonly HistoryMetric[] = [TOTAL, 'cpu.core'];
  readonly reduce = 'decimation';
  readonly toggles: readonly CardToggle[];
  private readonly cores = new TopNames(CORES_SHOWN, naturalOrder);

  constructor(private readonly settings: SettingsStore) {
    this.toggles = [
      {
        label: 'Per core',
        title: 'Show a line per CPU core',
        pressed: () => settings.value.chartsPerCore,
        toggle: () => settings.update({ chartsPerCore: !settings.value.chartsPerCore }),
      },
    ];
  }

  series(view: ViewContext): readonly SeriesSpec[] {
    const { palette, store, range } = view;
    const specs: SeriesSpec[] = [
      {
        key: TOTAL,
        legend: { id: 'total', label: 'total', colour: palette.accent },
        read: column(TOTAL),
        style: { colour: palette.accent, width: 2, fill: 'origin', fillAlpha: 0.14 },
      },
    ];
    if (!this.settings.value.chartsPerCore) return specs;
    const names = store.names('cpu.core');
    const from = store.seqAtOrAfter(range.min);
    const to = store.seqAtOrAfter(range.max);
    const shown = this.cores.pick(names, (core) => store.mean(historySeriesKey('cpu.core', core), from, to, ACTIVITY_READS), view.epoch);
    const coreColour = withAlpha(palette.muted, coreOpacity(shown.length));
    const label = shown.length < names.length ? `busiest ${shown.length} of ${names.length} cores` : 'per core';
    for (const core of shown) {
      const key = historySeriesKey('cpu.core', core);
      specs.push({ key, legend: { id: 'cores', label, colour: coreColour }, read: column(key), style: { colour: coreColour, width: 0.75, fill: false, quiet: true } });
    }
    return specs;
  }

  yAxis(): YAxisSpec {
    return { format: (v) => `${Math.round(v)}%`, ticks: 'auto', min: 0, max: 100 };
  }

  headline(store: MetricStore): readonly ValuePart[] {
    const cores = coresInNewest(store);
    const parts: ValuePart[] = [{ text: formatPercent(store.latest(TOTAL)) }];
    if (cores > 0) parts.push({ text: `${cores} cores`, tone: 'muted' });
    return parts;
  }

  tooltip(values: readonly HoverValue[], view: ViewContext): readonly TooltipRow[] {
    const rows: TooltipRow[] = [];
    const total = values.find((value) => value.key === TOTAL);
    if (total !== undefined) rows.push({ colour: view.palette.accent, label: 'total', values: [{ text: formatPercent(total.y) }] });
    const coreColour = view.palette.muted;
    values
      .filter((value) => value.key !== TOTAL)
      .sort((a, b) => b.y - a.y)
      .slice(0, CORES_IN_TOOLTIP)
      .forEach((value) => rows.push({ colour: coreColour, label: `core ${value.key.slice(value.key.indexOf(':') + 1)}`, values: [{ text: formatPercent(value.y) }] }));
    return rows;
  }
}
