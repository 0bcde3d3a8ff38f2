// The network and disk charts: bytes per second per interface or device, one colour each, incoming (received,
// read) above zero and outgoing (sent, written) mirrored below it, so both directions share one plot without
// hiding each other. The busiest few names get their own colour; the rest are drawn summed as "other".
import { historySeriesKey, type HistoryMetric, type HistoryNamedSeries } from '../../protocol/metrics-history';
import { column, type ChartDefinition, type HoverValue, type SeriesSpec, type TooltipRow, type ValuePart, type ViewContext, type YAxisSpec } from './chart-definition';
import type { RowReader } from './live-series';
import type { MetricStore } from './metric-store';
import { otherCount } from './sample-rows';
import { naturalOrder, TopNames } from './top-names';
import { formatRate } from './units';

/** Names drawn on their own; more would make an unreadable legend on a 200 px card. */
const NAMES_SHOWN = 4;
const ACTIVITY_READS = 120;
/** An idle machine's axis still spans ±1 KiB/s, so "0 B/s" sits on a visible zero line. */
const MIN_AXIS_BYTES = 1024;
const OTHER = '\u0000other';

interface ThroughputConfig {
  id: string;
  title: string;
  /** Metric above zero and below it: 'net.rx' and 'net.tx', 'disk.read' and 'disk.write'. */
  incoming: HistoryNamedSeries;
  outgoing: HistoryNamedSeries;
  /** Their words in the header, the captions and the tooltip: "in"/"out", "read"/"write". */
  incomingLabel: string;
  outgoingLabel: string;
}

export class ThroughputChart implements ChartDefinition {
  readonly id: string;
  readonly title: string;
  readonly metrics: readonly HistoryMetric[];
  readonly reduce = 'decimation';
  private readonly top = new TopNames(NAMES_SHOWN, naturalOrder);
  /** Colour slot per name, in order of first sight; only names still in the store keep one. */
  private readonly slots = new Map<string, number>();
  /** The legend entry of each series key of the last render, for the tooltip. */
  private legendOf = new Map<string, SeriesSpec['legend']>();

  constructor(private readonly config: ThroughputConfig) {
    this.id = config.id;
    this.title = config.title;
    this.metrics = [config.incoming, config.outgoing];
  }

  series(view: ViewContext): readonly SeriesSpec[] {
    const { store, palette, range } = view;
    const { incoming, outgoing } = this.config;
    const names = store.names(incoming);
    const from = store.seqAtOrAfter(range.min);
    const to = store.seqAtOrAfter(range.max);
    const activity = (name: string): number =>
      store.mean(historySeriesKey(incoming, name), from, to, ACTIVITY_READS) + store.mean(historySeriesKey(outgoing, name), from, to, ACTIVITY_READS);
    const shown = this.top.pick(names, activity, view.epoch);
    this.assignSlots(names);

    const specs: SeriesSpec[] = [];
    const add = (id: string, label: string, colour: string, readIn: RowReader, readOut: RowReader): void => {
      const legend = { id, label, colour };
      specs.push({ key: `${id}\u0000in`, legend, read: readIn, style: { colour, width: 1.5, fill: 'origin', fillAlpha: 0.12 } });
      specs.push({ key: `${id}\u0000out`, legend, read: negate(readOut), style: { colour, width: 1.5, fill: 'origin', fillAlpha: 0.12 } });
    };
    if (names.length === 0) {
      // No per-name figures (a platform that only gives totals): draw the totals.
      add('total', 'total', palette.sources[0]!, column(incoming), column(outgoing));
      this.legendOf = new Map(specs.map((spec) => [spec.key, spec.legend]));
      return specs;
    }
    for (const name of shown) {
      const colour = palette.sources[(this.slots.get(name) ?? 0) % palette.sources.length]!;
      add(name, name, colour, column(historySeriesKey(incoming, name)), column(historySeriesKey(outgoing, name)));
    }
    if (shown.length < names.length) {
      // The totals include names past the store's cap too, so "other" is the total minus what is drawn.
      const rest = (metric: HistoryNamedSeries): RowReader => {
        const keys = shown.map((name) => historySeriesKey(metric, name));
        return (s, seq) => Math.max(0, keys.reduce((sum, key) => sum - (s.value(key, seq) || 0), s.value(metric, seq)));
      };
      add(`${OTHER}\u0000${shown.join('\u0000')}`, `${otherCount(names.length - shown.length, names.length, incoming)} other`, palette.muted, rest(incoming), rest(outgoing));
    }
    this.legendOf = new Map(specs.map((spec) => [spec.key, spec.legend]));
    return specs;
  }

  yAxis(): YAxisSpec {
    const { incomingLabel, outgoingLabel } = this.config;
    return {
      format: (v) => formatRate(Math.abs(v)),
      ticks: 'bytes',
      suggestedMin: -MIN_AXIS_BYTES,
      suggestedMax: MIN_AXIS_BYTES,
      mirrored: { above: incomingLabel, below: outgoingLabel },
    };
  }

  headline(store: MetricStore): readonly ValuePart[] {
    const { incoming, outgoing, incomingLabel, outgoingLabel } = this.config;
    return [
      { text: `${incomingLabel} ${formatRate(store.latest(incoming))}` },
      { text: `${outgoingLabel} ${formatRate(store.latest(outgoing))}` },
    ];
  }

  /** A row per name: both directions side by side. */
  tooltip(values: readonly HoverValue[]): readonly TooltipRow[] {
    const { incomingLabel, outgoingLabel } = this.config;
    const rows = new Map<string, { label: string; colour: string; in: number; out: number }>();
    for (const value of values) {
      const legend = this.legendOf.get(value.key);
      if (legend === undefined) continue;
      const row = rows.get(legend.id) ?? { label: legend.label, colour: legend.colour, in: NaN, out: NaN };
      if (value.key.endsWith('\u0000in')) row.in = value.y;
      else row.out = -value.y;
      rows.set(legend.id, row);
    }
    return [...rows.values()].map((row) => ({
      colour: row.colour,
      label: row.label,
      values: [{ text: `${incomingLabel} ${formatRate(row.in)}` }, { text: `${outgoingLabel} ${formatRate(row.out)}` }],
    }));
  }

  private assignSlots(names: readonly string[]): void {
    const present = new Set(names);
    for (const name of this.slots.keys()) if (!present.has(name)) this.slots.delete(name);
    const used = new Set(this.slots.values());
    for (const name of [...names].sort(naturalOrder)) {
      if (this.slots.has(name)) continue;
      let slot = 0;
      while (used.has(slot)) slot++;
      this.slots.set(name, slot);
      used.add(slot);
    }
  }
}

function negate(read: RowReader): RowReader {
  return (store, seq) => -read(store, seq);
}
