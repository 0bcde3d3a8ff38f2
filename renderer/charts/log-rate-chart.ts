// The log-rate chart: lines per second of each source, stacked, each source's band split into its error and
// fatal lines (red, at the band's foot) and the rest (the source's colour, as in the log view). The busiest
// few sources get bands of their own; the rest are stacked as one "other" band, with the sources the page
// has no name for (removed ones whose lines are all gone, still in the history): no legend shows a bare id.
// A click shows the log there.
import { historySeriesKey, type HistoryMetric } from '../../protocol/metrics-history';
import type { SourceDirectory } from '../services/source-directory';
import { column, type ChartDefinition, type HoverValue, type SeriesSpec, type TooltipRow, type ValuePart, type ViewContext, type YAxisSpec } from './chart-definition';
import type { RowReader } from './live-series';
import type { MetricStore } from './metric-store';
import { otherCount } from './sample-rows';
import { naturalOrder, TopNames } from './top-names';
import { formatCount } from './units';

/**
 * The server averages each source's rate over the 5 whole seconds before it is read, counting each line at its
 * own time (docs/protocol.md), on a tick of its own up to a second before the sample: a point stands for lines
 * stamped in the 7 s before it.
 */
const COUNTED_SPAN_MS = 7_000;
/** Sources stacked on their own; more bands than this are too thin to tell apart. */
const SOURCES_SHOWN = 4;
const ACTIVITY_READS = 120;
/** Legend labels are cut in the middle past this many characters (the tooltip has the whole name). */
const LEGEND_LABEL_MAX = 20;
const ERRORS = 'errors';
const OTHER = '\u0000other';

interface Band {
  id: string;
  name: string;
  colour: string;
}

/** Where the lines counted by the point at `ts` begin: a click on the point shows the log from there. */
export function linesCountedFrom(ts: number): number {
  return ts - COUNTED_SPAN_MS;
}

export class LogRateChart implements ChartDefinition {
  readonly id = 'logs';
  readonly title = 'Log lines';
  readonly metrics: readonly HistoryMetric[] = ['logs.lines', 'logs.errors'];
  readonly reduce = 'buckets';
  readonly hint = 'Click to show the log at this time';
  private readonly top: TopNames;
  /** Band of each series key of the last render, for the tooltip. */
  private bandOf = new Map<string, Band>();

  constructor(private readonly sources: SourceDirectory) {
    this.top = new TopNames(SOURCES_SHOWN, (a, b) => naturalOrder(sources.nameOf(a), sources.nameOf(b)));
  }

  series(view: ViewContext): readonly SeriesSpec[] {
    const { store, palette, range } = view;
    const ids = store.names('logs.lines');
    // Before the first `hello` no source has a name yet: every one is a candidate, not "other".
    const named = this.sources.known ? ids.filter((id) => this.sources.get(id) !== undefined) : ids;
    const from = store.seqAtOrAfter(range.min);
    const to = store.seqAtOrAfter(range.max);
    const shown = this.top.pick(named, (id) => store.mean(historySeriesKey('logs.lines', id), from, to, ACTIVITY_READS), view.epoch);
    const errorLegend = { id: ERRORS, label: 'errors', colour: palette.levelError };
    const specs: SeriesSpec[] = [];
    this.bandOf = new Map();
    const add = (band: Band, readLines: RowReader, readErrors: RowReader): void => {
      const errorKey = `${band.id}\u0000errors`;
      const restKey = `${band.id}\u0000rest`;
      specs.push({ key: errorKey, legend: errorLegend, read: readErrors, style: { colour: palette.levelError, width: 1, fill: 'stack', fillAlpha: 0.6 } });
      specs.push({
        key: restKey,
        legend: { id: band.id, label: shorten(band.name), colour: band.colour },
        read: (s, seq) => Math.max(0, readLines(s, seq) - (readErrors(s, seq) || 0)),
        style: { colour: band.colour, width: 1.5, fill: 'stack', fillAlpha: 0.3 },
      });
      this.bandOf.set(errorKey, band);
      this.bandOf.set(restKey, band);
    };

    if (ids.length === 0) {
      add({ id: 'all', name: 'all sources', colour: palette.sources[0]! }, column('logs.lines'), column('logs.errors'));
      return specs;
    }
    for (const id of shown) {
      const band = { id, name: this.sources.nameOf(id), colour: palette.sources[this.sources.colour(id)]! };
      add(band, column(historySeriesKey('logs.lines', id)), column(historySeriesKey('logs.errors', id)));
    }
    if (shown.length < ids.length) {
      // The totals count every source, those past the store's cap too: "other" is the total minus the bands.
      const rest = (metric: 'logs.lines' | 'logs.errors'): RowReader => {
        const keys = shown.map((id) => historySeriesKey(metric, id));
        return (s, seq) => Math.max(0, keys.reduce((sum, key) => sum - (s.value(key, seq) || 0), s.value(metric, seq)));
      };
      const band = { id: `${OTHER}\u0000${shown.join('\u0000')}`, name: `${otherCount(ids.length - shown.length, ids.length, 'logs.lines')} other sources`, colour: palette.muted };
      add(band, rest('logs.lines'), rest('logs.errors'));
    }
    return specs;
  }

  yAxis(): YAxisSpec {
    return { format: formatCount, ticks: 'auto', min: 0, suggestedMax: 1, stacked: true };
  }

  headline(store: MetricStore): readonly ValuePart[] {
    const errors = store.latest('logs.errors');
    return [
      { text: `${formatCount(store.latest('logs.lines'))}/s` },
      { text: `${formatCount(errors)} errors/s`, tone: errors > 0 ? 'bad' : 'muted' },
    ];
  }

  /** A row per source, busiest first: its lines per second, and its errors when it has any. */
  tooltip(values: readonly HoverValue[], view: ViewContext): readonly TooltipRow[] {
    const totals = new Map<Band, { lines: number; errors: number }>();
    for (const value of values) {
      const band = this.bandOf.get(value.key);
      if (band === undefined) continue;
      const total = totals.get(band) ?? { lines: 0, errors: 0 };
      total.lines += value.y;
      if (value.key.endsWith('\u0000errors')) total.errors += value.y;
      totals.set(band, total);
    }
    const rows = [...totals].sort((a, b) => b[1].lines - a[1].lines).map(([band, total]) => row(band.colour, band.name, total.lines, total.errors));
    if (rows.length > 1) {
      let lines = 0;
      let errors = 0;
      for (const total of totals.values()) {
        lines += total.lines;
        errors += total.errors;
      }
      rows.unshift(row(view.palette.fg, 'all sources', lines, errors));
    }
    return rows;
  }
}

function row(colour: string, label: string, lines: number, errors: number): TooltipRow {
  const values: ValuePart[] = [{ text: `${formatCount(lines)}/s` }];
  if (errors > 0) values.push({ text: `${formatCount(errors)} errors/s`, tone: 'bad' });
  return { colour, label, values };
}

/** "frontend/…/access.log": the start and the end say most about a path. */
function shorten(name: string): string {
  if (name.length <= LEGEND_LABEL_MAX) return name;
  const keep = LEGEND_LABEL_MAX - 1;
  return `${name.slice(0, Math.ceil(keep / 2))}…${name.slice(name.length - Math.floor(keep / 2))}`;
}
