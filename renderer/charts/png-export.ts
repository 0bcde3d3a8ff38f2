// Saves a chart as a PNG file: its canvas pixels over the theme's background (a chart canvas is transparent),
// under a caption with the chart's title, time range and legend, downloaded through an <a download>.
import type { LegendEntry } from './chart-legend';
import { formatDateTime } from './time-axis';
import { zoneName } from '../services/time-zone';
import type { Palette } from './theme-palette';

/** CSS pixels of each caption line above the chart. */
const LINE_PX = 22;
const MARGIN_PX = 8;
const SWATCH_PX = 8;
/** The download reads the blob after click() returns; the URL is let go well after that. */
const REVOKE_AFTER_MS = 60_000;

interface PngCaption {
  title: string;
  min: number;
  max: number;
  /** The legend entries shown. */
  legend: readonly LegendEntry[];
}

export function saveChartPng(canvas: HTMLCanvasElement, palette: Palette, caption: PngCaption, fileStem: string): void {
  // The chart canvas is in device pixels; so is the copy, caption included.
  const scale = canvas.width / Math.max(1, canvas.clientWidth);
  const width = canvas.width / scale;
  const measure = document.createElement('canvas').getContext('2d');
  if (measure === null) return;
  const range = rangeText(caption.min, caption.max);
  measure.font = titleFont(palette);
  const titleWidth = measure.measureText(caption.title).width;
  measure.font = legendFont(palette);
  // The range goes to the title's right when both fit, else on a line of its own.
  const rangeLine = titleWidth + measure.measureText(range).width + 3 * MARGIN_PX > width ? 1 : 0;
  const rows = legendRows(caption.legend, width, measure);
  const captionHeight = Math.round(LINE_PX * (1 + rangeLine + rows.length) * scale);
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height + captionHeight;
  const ctx = out.getContext('2d');
  if (ctx === null) return;
  ctx.fillStyle = palette.bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, captionHeight);
  ctx.scale(scale, scale);
  ctx.textBaseline = 'middle';
  ctx.fillStyle = palette.fg;
  ctx.font = titleFont(palette);
  ctx.textAlign = 'left';
  ctx.fillText(caption.title, MARGIN_PX, LINE_PX / 2);
  ctx.fillStyle = palette.muted;
  ctx.font = legendFont(palette);
  ctx.textAlign = rangeLine === 1 ? 'left' : 'right';
  ctx.fillText(range, rangeLine === 1 ? MARGIN_PX : width - MARGIN_PX, LINE_PX * (rangeLine + 0.5));
  ctx.textAlign = 'left';
  rows.forEach((row, i) => {
    const y = LINE_PX * (i + rangeLine + 1.5);
    for (const { entry, x } of row) {
      ctx.fillStyle = entry.colour;
      ctx.fillRect(x, y - SWATCH_PX / 2, SWATCH_PX, SWATCH_PX);
      ctx.fillStyle = palette.fg;
      ctx.fillText(entry.label, x + SWATCH_PX + 4, y);
    }
  });
  out.toBlob((blob) => {
    if (blob === null) return;
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `tailwatch-${fileStem}-${formatDateTime(caption.max).replace(/[-: ]/g, '').replace(/^(\d{8})/, '$1-')}.png`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }, 'image/png');
}

const titleFont = (palette: Palette): string => `600 12px ${palette.sans}`;
const legendFont = (palette: Palette): string => `11px ${palette.sans}`;

/** "2026-11-21 14:02:10 – 14:07:10", the date written once when both ends share it. */
function rangeText(min: number, max: number): string {
  const from = formatDateTime(min);
  const to = formatDateTime(max);
  const range = from.slice(0, 10) === to.slice(0, 10) ? `${from} – ${to.slice(11)}` : `${from} – ${to}`;
  // On the clock chosen in Settings, named: a picture travels without the page that made it.
  return `${range} ${zoneName()}`;
}

/** The legend laid out in lines that fit `width`: each entry with its x. */
function legendRows(legend: readonly LegendEntry[], width: number, measure: CanvasRenderingContext2D): { entry: LegendEntry; x: number }[][] {
  const rows: { entry: LegendEntry; x: number }[][] = [];
  let x = Infinity;
  for (const entry of legend) {
    const itemWidth = SWATCH_PX + 4 + measure.measureText(entry.label).width;
    if (x + itemWidth > width - MARGIN_PX) {
      rows.push([]);
      x = MARGIN_PX;
    }
    rows[rows.length - 1]!.push({ entry, x });
    x += itemWidth + 12;
  }
  return rows;
}
