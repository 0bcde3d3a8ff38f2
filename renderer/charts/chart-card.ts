// One chart card: its header (title, current values, toggles, save as PNG) and its Chart.js line chart, with
// the render pass that brings datasets, axes and overlays up to date with the store in one update('none').
import type { ChartDataset, Scale, TooltipModel } from 'chart.js';
import type { ChartDefinition, HoverValue, SeriesSpec, TimeRange, ValuePart, ViewContext, YAxisSpec } from './chart-definition';
import { overlayPlugin, type OverlayState } from './chart-overlay';
import { Chart } from './chart-setup';
import type { ChartTooltip } from './chart-tooltip';
import { bucketMeans, LiveSeries, pointsWithin, type Point } from './live-series';
import { ChartLegend, type LegendEntry } from './chart-legend';
import { saveChartPng } from './png-export';
import { attachPointer, type PointerHandlers } from './chart-pointer';
import { formatClock, stepNeedsSeconds, timeStep, timeTicks } from './time-axis';
import { withAlpha, type Palette } from './theme-palette';
import { byteTicks } from './units';

/** Every y axis is this wide, so plots line up from card to card whatever their labels say. */
const Y_AXIS_WIDTH_PX = 60;
/** Room per x label ("14:05:30" or "14:05" at 11 px, and air) and per y gridline. */
const X_TICK_SPACING_PX = 68;
const X_TICK_SPACING_SHORT_PX = 52;
const X_LABEL_HALF_PX = 26;
const Y_TICK_SPACING_PX = 26;
const TICK_FONT = { size: 11 };
const HOVER_DOT_PX = 3;
/** A mirrored byte axis reaches 10% below its lowest value, and at least a fifth of its top below zero. */
const MIRROR_GRACE = 1.1;
const MIRROR_MIN_DEPTH = 0.2;
/** Up to two missed rows in a row (samples at 1 Hz, or minutes) are drawn across, longer gaps are left open. */
const MAX_SAMPLE_GAP_ROWS = 3.5;
/** Bucket lengths for stacked charts; each divides the next, so bucket edges stay put as the chart scrolls. */
const BUCKET_STEPS_MS: readonly number[] = [2, 5, 10, 15, 30, 60, 120].map((s) => s * 1_000);
/** A stacked chart is bucketed when it would get more samples than this many per plot pixel. */
const MAX_SAMPLES_PER_PX = 1;
const EMPTY_TEXT = 'waiting for the first sample';

type LineDataset = ChartDataset<'line', Point[]>;

interface Entry {
  spec: SeriesSpec;
  readonly series: LiveSeries;
  readonly dataset: LineDataset;
}

interface CardDeps {
  tooltip: ChartTooltip;
  pointer: PointerHandlers;
  /** Only the log-rate chart turns a click into a jump; the others leave clicks alone. */
  clickable: boolean;
  /** A toggle changed what the chart shows. */
  requestRender(): void;
}

export class ChartCard {
  readonly element: HTMLElement;
  private readonly chart: Chart<'line', Point[]>;
  private readonly values: HTMLElement;
  private readonly legend: ChartLegend;
  private readonly empty: HTMLElement;
  private readonly toggleButtons: { button: HTMLButtonElement; pressed(): boolean }[] = [];
  private readonly overlay: OverlayState;
  private entries = new Map<string, Entry>();
  private ordered: Entry[] = [];
  private keys = '';
  private axis: YAxisSpec;
  private palette: Palette;
  private view: ViewContext | null = null;
  private lastRange: TimeRange = { min: NaN, max: NaN };
  private xSeconds = true;
  private headlineKey = '';
  /** Pixel-free data limits of the y axis, before Chart.js rounds them to its own 1-2-5 steps. */
  private yData = { min: 0, max: 0 };

  constructor(
    private readonly def: ChartDefinition,
    palette: Palette,
    private readonly deps: CardDeps,
  ) {
    this.palette = palette;
    this.axis = { format: String, ticks: 'auto' };
    this.overlay = { band: null, hoverTs: null, references: [], captions: null, palette };

    this.element = document.createElement('section');
    this.element.className = `chart-card chart-${def.id}`;
    this.element.setAttribute('aria-label', `${def.title} chart`);
    const header = document.createElement('header');
    header.className = 'chart-header';
    const title = document.createElement('h3');
    title.className = 'chart-title';
    title.textContent = def.title;
    this.values = document.createElement('span');
    this.values.className = 'chart-values';
    const actions = document.createElement('div');
    actions.className = 'chart-actions';
    for (const toggle of def.toggles ?? []) {
      const button = toolButton(toggle.label, toggle.title);
      button.addEventListener('click', () => {
        toggle.toggle();
        this.syncToggles();
        deps.requestRender();
      });
      this.toggleButtons.push({ button, pressed: () => toggle.pressed() });
      actions.append(button);
    }
    const save = toolButton('', `Save the ${def.title} chart as a PNG image`);
    save.classList.add('chart-save');
    save.append(downloadIcon());
    save.addEventListener('click', () => this.savePng());
    actions.append(save);
    header.append(title, this.values, actions);
    this.legend = new ChartLegend(def.title, () => this.legendToggled());

    const body = document.createElement('div');
    body.className = 'chart-body';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${def.title} over time`);
    this.empty = document.createElement('div');
    this.empty.className = 'chart-empty';
    this.empty.textContent = EMPTY_TEXT;
    body.append(canvas, this.empty);
    this.element.append(header, this.legend.element, body);

    this.chart = this.createChart(canvas);
    attachPointer(this.chart, {
      ...deps.pointer,
      click: (ts) => {
        if (deps.clickable) deps.pointer.click(ts);
      },
    });
    this.syncToggles();
  }

  /** Brings the chart up to date with the store and the range; redraws only if something changed. */
  render(view: ViewContext): void {
    this.view = view;
    const { store, palette, range } = view;
    const specs = this.def.series(view);
    const keys = specs.map((spec) => spec.key).join('\n');
    let changed = keys !== this.keys || palette !== this.palette || range.min !== this.lastRange.min || range.max !== this.lastRange.max;

    const entries = new Map<string, Entry>();
    for (const spec of specs) {
      const entry = this.entries.get(spec.key) ?? { spec, series: new LiveSeries(spec.read), dataset: newDataset() };
      entry.spec = spec;
      if (entry.series.sync(store)) changed = true;
      entries.set(spec.key, entry);
    }
    this.entries = entries;
    if (keys !== this.keys) {
      this.keys = keys;
      this.ordered = specs.map((spec) => entries.get(spec.key)!);
      this.chart.data.datasets = this.ordered.map((entry) => entry.dataset);
    }
    if (palette !== this.palette) this.applyTheme(palette);
    if (range.min !== this.lastRange.min || range.max !== this.lastRange.max) {
      // The time range shown, in ms since the epoch, readable from the page (the canvas keeps it to itself).
      this.element.dataset.rangeStart = String(Math.round(range.min));
      this.element.dataset.rangeEnd = String(Math.round(range.max));
    }
    this.lastRange = { ...range };

    // Before the first sample: no values, no legend, no y labels, only the time axis and the empty note.
    const empty = store.size === 0;
    if (this.empty.hidden === empty) changed = true;
    this.empty.hidden = !empty;
    this.legend.element.hidden = empty;
    this.renderHeadline(empty ? [] : this.def.headline(store));
    this.legend.render(this.legendEntries());
    if (!changed) return;

    const plotWidth = Math.max(1, this.chart.chartArea?.width ?? this.chart.width);
    const span = range.max - range.min;
    const bucket = this.def.reduce === 'buckets' ? bucketLength(span, plotWidth, store.stepMs) : 0;
    // A gap narrower than a couple of pixels (or than a bucket) is not visible: draw across it.
    const spanGaps = MAX_SAMPLE_GAP_ROWS * store.stepMs + (bucket > 0 ? bucket : (2 * span) / plotWidth);
    this.ordered.forEach(({ spec, series, dataset }, index) => {
      dataset.data = this.visiblePoints(series.points, bucket, range);
      styleDataset(dataset, spec, this.legend.isHidden(spec.legend.id), index === 0);
      dataset.spanGaps = spanGaps;
    });

    const scales = this.chart.options.scales!;
    scales.x!.min = range.min;
    scales.x!.max = range.max;
    this.axis = this.def.yAxis(view);
    const y = scales.y as Record<string, unknown>;
    y.stacked = this.axis.stacked === true;
    for (const bound of ['min', 'max', 'suggestedMin', 'suggestedMax'] as const) {
      if (this.axis[bound] === undefined) delete y[bound];
      else y[bound] = this.axis[bound];
    }
    const ticks = y.ticks as { maxTicksLimit: number; display: boolean };
    ticks.maxTicksLimit = Math.max(3, Math.floor((this.chart.chartArea?.height ?? 100) / Y_TICK_SPACING_PX) + 1);
    ticks.display = !empty;
    this.overlay.references = this.def.references?.(view) ?? [];
    this.overlay.captions = this.axis.mirrored ?? null;
    this.chart.update('none');
  }

  /**
   * What a dataset is given: all its points for decimation (which looks at the visible ones only); for a
   * stacked chart, only the visible ones, bucketed if there are more than pixels: stacking and filling
   * between datasets cost per point, shown or not.
   */
  private visiblePoints(points: Point[], bucket: number, range: TimeRange): Point[] {
    if (this.def.reduce === 'decimation') return points;
    return bucket > 0 ? bucketMeans(points, bucket, range.min, range.max) : pointsWithin(points, range.min, range.max);
  }

  /** Draws again without an update: for the crosshair and the selection band, which move between renders. */
  redraw(hoverTs: number | null, band: TimeRange | null): void {
    if (this.overlay.hoverTs === hoverTs && this.overlay.band === band) return;
    this.overlay.hoverTs = hoverTs;
    this.overlay.band = band;
    if (band !== null) this.deps.tooltip.hide();
    this.chart.draw();
  }

  private createChart(canvas: HTMLCanvasElement): Chart<'line', Point[]> {
    const reduceByPlugin = this.def.reduce === 'decimation';
    return new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [overlayPlugin(this.overlay)],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'sameTime', intersect: false },
        layout: { padding: { top: 0, right: 10, bottom: 0, left: 0 } },
        elements: {
          point: { radius: 0, hoverRadius: HOVER_DOT_PX, hitRadius: 0, hoverBorderWidth: 1 },
          line: { tension: 0, borderJoinStyle: 'round', capBezierPoints: false },
        },
        scales: {
          x: {
            type: 'linear',
            grid: { color: () => this.palette.grid, drawTicks: false },
            border: { display: false },
            ticks: {
              color: () => this.palette.muted,
              font: TICK_FONT,
              maxRotation: 0,
              autoSkip: false,
              padding: 4,
              callback: (value) => formatClock(Number(value), this.xSeconds),
            },
            afterBuildTicks: (scale) => this.buildTimeTicks(scale),
          },
          y: {
            type: 'linear',
            beginAtZero: true,
            grid: {
              color: (ctx) => (ctx.tick?.value === 0 ? this.palette.border : this.palette.grid),
              drawTicks: false,
            },
            border: { display: false },
            ticks: {
              color: () => this.palette.muted,
              font: TICK_FONT,
              padding: 6,
              callback: (value) => this.axis.format(Number(value)),
            },
            afterDataLimits: (scale) => {
              this.yData = { min: scale.min, max: scale.max };
            },
            afterBuildTicks: (scale) => this.buildByteTicks(scale),
            afterFit: (scale) => {
              scale.width = Y_AXIS_WIDTH_PX;
            },
          },
        },
        plugins: {
          // Min-max keeps each pixel column's lowest and highest sample: a one-second spike stays visible.
          decimation: { enabled: reduceByPlugin, algorithm: 'min-max' },
          tooltip: { enabled: false, mode: 'sameTime', intersect: false, external: ({ tooltip }) => this.showTooltip(tooltip) },
        },
      },
    });
  }

  /**
   * Ticks on round times. None within half a label of either end: Chart.js would pad the plot to fit such a
   * label, and the plot would twitch each time a label scrolls in or out.
   */
  private buildTimeTicks(scale: Scale): void {
    const plotWidth = scale.chart.chartArea?.width || scale.width;
    // "14:05" needs less room than "14:05:30": try the short labels' spacing first.
    const short = timeStep(scale.min, scale.max, Math.floor(plotWidth / X_TICK_SPACING_SHORT_PX));
    const step = stepNeedsSeconds(short) ? timeStep(scale.min, scale.max, Math.floor(plotWidth / X_TICK_SPACING_PX)) : short;
    const margin = ((scale.max - scale.min) * X_LABEL_HALF_PX) / Math.max(1, plotWidth);
    this.xSeconds = stepNeedsSeconds(step);
    scale.ticks = timeTicks(scale.min + margin, scale.max - margin, step).map((value) => ({ value }));
  }

  /**
   * Byte axes get gridlines on powers of two of a unit, worked out from the data's own limits (Chart.js's
   * have been rounded to decimal steps already). The top grows to the next gridline unless it is fixed; a
   * mirrored axis's negative side stays as deep as its data, at least a sliver, so it does not take a whole step.
   */
  private buildByteTicks(scale: Scale): void {
    if (this.axis.ticks !== 'bytes') return;
    const { min, max } = this.yData;
    const values = byteTicks(Math.min(0, min), max, Math.max(2, Math.floor(scale.height / Y_TICK_SPACING_PX)));
    const top = this.axis.max ?? values[values.length - 1] ?? max;
    const bottom = this.axis.min ?? (min < 0 ? Math.min(min * MIRROR_GRACE, -top * MIRROR_MIN_DEPTH) : 0);
    scale.max = top;
    scale.min = bottom;
    scale.ticks = values.filter((value) => value >= bottom && value <= top).map((value) => ({ value }));
  }

  /** One entry per legend id (a source's lines and errors, an interface's in and out). */
  private legendEntries(): LegendEntry[] {
    const entries = new Map<string, LegendEntry>();
    for (const { spec } of this.ordered) if (!entries.has(spec.legend.id)) entries.set(spec.legend.id, spec.legend);
    return [...entries.values()];
  }

  private legendToggled(): void {
    for (const { spec, dataset } of this.ordered) dataset.hidden = this.legend.isHidden(spec.legend.id);
    this.legend.render(this.legendEntries());
    this.chart.update('none');
  }

  private showTooltip(model: TooltipModel<'line'>): void {
    const points = model.dataPoints;
    if (model.opacity === 0 || points.length === 0 || this.overlay.band !== null || this.view === null) {
      if (model.opacity === 0) this.deps.tooltip.hide();
      return;
    }
    const values: HoverValue[] = [];
    let nearestX = points[0]!.parsed.x ?? NaN;
    const target = this.overlay.hoverTs ?? nearestX;
    for (const point of points) {
      const entry = this.ordered[point.datasetIndex];
      const { x, y } = point.parsed;
      if (entry === undefined || x === null || y === null) continue;
      values.push({ key: entry.spec.key, y });
      if (Math.abs(x - target) < Math.abs(nearestX - target)) nearestX = x;
    }
    const rows = this.def.tooltip(values, this.view);
    const rect = this.chart.canvas.getBoundingClientRect();
    const area = this.chart.chartArea;
    this.deps.tooltip.show(rect.left + model.caretX, rect.top + (area.top + area.bottom) / 2, formatClock(nearestX, true), rows, this.def.hint);
  }

  private applyTheme(palette: Palette): void {
    this.palette = palette;
    this.overlay.palette = palette;
  }

  private renderHeadline(parts: readonly ValuePart[]): void {
    const key = parts.map((part) => `${part.tone ?? ''}:${part.text}`).join('|');
    if (key === this.headlineKey) return;
    this.headlineKey = key;
    this.values.replaceChildren(
      ...parts.map((part) => {
        const span = document.createElement('span');
        span.textContent = part.text;
        if (part.tone !== undefined) span.className = part.tone;
        return span;
      }),
    );
  }

  private syncToggles(): void {
    for (const { button, pressed } of this.toggleButtons) button.setAttribute('aria-pressed', String(pressed()));
  }

  private savePng(): void {
    const x = this.chart.scales.x;
    if (x === undefined) return;
    const legend = this.legendEntries().filter((entry) => !this.legend.isHidden(entry.id));
    saveChartPng(this.chart.canvas, this.palette, { title: `${this.def.title} · tailwatch`, min: x.min, max: x.max, legend }, this.def.id);
  }
}

function newDataset(): LineDataset {
  return { data: [], pointRadius: 0 };
}

function styleDataset(dataset: LineDataset, spec: SeriesSpec, hidden: boolean, first: boolean): void {
  const { style } = spec;
  dataset.label = spec.legend.label;
  dataset.borderColor = style.colour;
  dataset.backgroundColor = style.fill === false ? style.colour : withAlpha(style.colour, style.fillAlpha ?? 0.15);
  dataset.borderWidth = style.width;
  dataset.borderDash = style.dash ?? [];
  // Down to the previous dataset: in a stacked chart that is the band below (Chart.js skips hidden ones).
  // Its 'stack' fill does the same by walking every dataset below for every point, far slower.
  dataset.fill = style.fill === 'stack' ? (first ? 'origin' : '-1') : style.fill;
  dataset.pointHoverRadius = style.quiet === true ? 0 : HOVER_DOT_PX;
  dataset.pointHoverBackgroundColor = style.colour;
  dataset.pointHoverBorderColor = style.colour;
  dataset.hidden = hidden;
}

/** The bucket for a stacked chart over `span` ms on `plotWidth` pixels; 0 when raw samples fit. */
function bucketLength(span: number, plotWidth: number, samplePeriodMs: number): number {
  if (span / samplePeriodMs <= plotWidth * MAX_SAMPLES_PER_PX) return 0;
  const step = BUCKET_STEPS_MS.find((ms) => ms > samplePeriodMs && span / ms <= plotWidth * MAX_SAMPLES_PER_PX);
  return step ?? BUCKET_STEPS_MS[BUCKET_STEPS_MS.length - 1]!;
}

function toolButton(text: string, title: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'tool chart-tool';
  button.textContent = text;
  button.title = title;
  button.setAttribute('aria-label', title);
  return button;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An arrow into a tray: the save icon. */
function downloadIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('chart-icon');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', 'M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 11v2.5h11V11');
  svg.append(path);
  return svg;
}
