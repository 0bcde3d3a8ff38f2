// What a chart card asks of the chart it shows (CPU, memory, load, network, disk, log lines): its series, its
// y axis, the values in its header and its tooltip rows. Each chart is one module implementing this.
import type { HistoryMetric } from '../../protocol/metrics-history';
import type { LegendEntry } from './chart-legend';
import type { RowReader } from './live-series';
import type { MetricStore } from './metric-store';
import type { Palette } from './theme-palette';

export interface TimeRange {
  min: number;
  max: number;
}

export interface ViewContext {
  readonly store: MetricStore;
  readonly palette: Palette;
  /** The x range every chart shows. */
  readonly range: TimeRange;
  /** Changes every few seconds of samples and with the range: when per-name choices may be made again. */
  readonly epoch: string;
}

interface SeriesStyle {
  colour: string;
  width: number;
  /** 'stack': down to the visible dataset below in a stacked chart (the first one: to zero). */
  fill: false | 'origin' | 'stack';
  /** Opacity of the fill. */
  fillAlpha?: number;
  dash?: number[];
  /** A background line (one of many per-core lines): no dot where the pointer is. */
  quiet?: boolean;
}

export interface SeriesSpec {
  /** Stable identity: a key drawn in the previous render keeps its points. Say in it whatever `read` depends on. */
  key: string;
  /** The legend entry it belongs to; every dataset of an entry is shown or hidden together. */
  legend: LegendEntry;
  read: RowReader;
  style: SeriesStyle;
}

export interface YAxisSpec {
  format(value: number): string;
  /** 'bytes': gridlines on powers of two of a unit; 'auto': Chart.js's 1-2-5 steps. */
  ticks: 'bytes' | 'auto';
  stacked?: boolean;
  min?: number;
  max?: number;
  suggestedMin?: number;
  suggestedMax?: number;
  /** Values above zero are one thing (received, read), below another (sent, written), captioned so. */
  mirrored?: { above: string; below: string };
}

export interface ReferenceLine {
  y: number;
  label: string;
  colour: string;
}

export interface ValuePart {
  text: string;
  tone?: 'muted' | 'bad';
}

/** The hovered point of one dataset: its series key and its own (unstacked) value. */
export interface HoverValue {
  key: string;
  y: number;
}

/** A tooltip line: a swatch, a label, and values in columns (aligned from row to row). */
export interface TooltipRow {
  colour: string;
  label: string;
  values: readonly ValuePart[];
}

export interface CardToggle {
  label: string;
  title: string;
  pressed(): boolean;
  toggle(): void;
}

export interface ChartDefinition {
  /** Short and file-name safe: "cpu", "net". */
  readonly id: string;
  readonly title: string;
  /** The metrics it reads from the store: of the history answer, only the series of the charts' metrics are kept. */
  readonly metrics: readonly HistoryMetric[];
  /**
   * How 1 h of 1 s points is brought down to what the pixels can show. 'decimation': Chart.js's min-max
   * decimation, which keeps every peak. 'buckets': means per time bucket shared by all datasets, for stacked
   * charts (decimation keeps different x values per dataset, and stacking adds values that share an x).
   */
  readonly reduce: 'decimation' | 'buckets';
  /** A line under the tooltip rows: what a click does. */
  readonly hint?: string;
  readonly toggles?: readonly CardToggle[];
  series(view: ViewContext): readonly SeriesSpec[];
  yAxis(view: ViewContext): YAxisSpec;
  headline(store: MetricStore): readonly ValuePart[];
  tooltip(values: readonly HoverValue[], view: ViewContext): readonly TooltipRow[];
  references?(view: ViewContext): readonly ReferenceLine[];
}

/** A reader of one store column. */
export const column =
  (key: string): RowReader =>
  (store, seq) =>
    store.value(key, seq);
