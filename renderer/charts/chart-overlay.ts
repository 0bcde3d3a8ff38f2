// A Chart.js plugin that draws over a chart's data: the band of a time range being selected, the shared
// crosshair at the time hovered in any chart, reference lines (the core count on the load chart) and the
// captions of a mirrored chart ("in" above zero, "out" below).
import type { Chart, Plugin } from 'chart.js';
import type { ReferenceLine, TimeRange } from './chart-definition';
import { withAlpha, type Palette } from './theme-palette';

export interface OverlayState {
  /** The time range being dragged across (in any chart), or null. */
  band: TimeRange | null;
  /** The time hovered in any chart, or null. */
  hoverTs: number | null;
  references: readonly ReferenceLine[];
  captions: { above: string; below: string } | null;
  palette: Palette;
}

const CAPTION_FONT = '10px';
const INSET_PX = 4;

export function overlayPlugin(state: OverlayState): Plugin<'line'> {
  return {
    id: 'tailwatchOverlay',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area } = chart;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      drawReferences(chart, state);
      drawCaptions(chart, state);
      drawCrosshair(chart, state);
      drawBand(chart, state);
      ctx.restore();
    },
  };
}

function drawReferences(chart: Chart<'line'>, state: OverlayState): void {
  const { ctx, chartArea: area } = chart;
  const y = chart.scales.y;
  if (y === undefined) return;
  for (const line of state.references) {
    if (line.y > y.max || line.y < y.min) continue;
    const py = Math.round(y.getPixelForValue(line.y)) + 0.5;
    ctx.strokeStyle = line.colour;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(area.left, py);
    ctx.lineTo(area.right, py);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = `${CAPTION_FONT} ${state.palette.sans}`;
    ctx.textAlign = 'right';
    // Below the line when it is at the top edge, else above it; on a veil of the background, over the data.
    const above = py - area.top > 14;
    ctx.textBaseline = above ? 'bottom' : 'top';
    const textY = above ? py - 2 : py + 2;
    const width = ctx.measureText(line.label).width;
    ctx.fillStyle = withAlpha(state.palette.bg, 0.8);
    ctx.fillRect(area.right - INSET_PX - width - 2, above ? textY - 12 : textY - 1, width + 4, 13);
    ctx.fillStyle = line.colour;
    ctx.fillText(line.label, area.right - INSET_PX, textY);
  }
}

function drawCaptions(chart: Chart<'line'>, state: OverlayState): void {
  const { ctx, chartArea: area } = chart;
  const y = chart.scales.y;
  if (state.captions === null || y === undefined) return;
  ctx.fillStyle = state.palette.muted;
  ctx.font = `${CAPTION_FONT} ${state.palette.sans}`;
  ctx.textAlign = 'left';
  if (y.max > 0) {
    ctx.textBaseline = 'top';
    ctx.fillText(`▲ ${state.captions.above}`, area.left + INSET_PX, area.top + 2);
  }
  if (y.min < 0) {
    ctx.textBaseline = 'bottom';
    ctx.fillText(`▼ ${state.captions.below}`, area.left + INSET_PX, area.bottom - 2);
  }
}

function drawCrosshair(chart: Chart<'line'>, state: OverlayState): void {
  const x = chart.scales.x;
  if (state.hoverTs === null || state.band !== null || x === undefined) return;
  if (state.hoverTs < x.min || state.hoverTs > x.max) return;
  const { ctx, chartArea: area } = chart;
  const px = Math.round(x.getPixelForValue(state.hoverTs)) + 0.5;
  ctx.strokeStyle = withAlpha(state.palette.fg, 0.35);
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(px, area.top);
  ctx.lineTo(px, area.bottom);
  ctx.stroke();
}

function drawBand(chart: Chart<'line'>, state: OverlayState): void {
  const x = chart.scales.x;
  if (state.band === null || x === undefined) return;
  const { ctx, chartArea: area } = chart;
  const left = Math.max(area.left, x.getPixelForValue(state.band.min));
  const width = Math.min(area.right, x.getPixelForValue(state.band.max)) - left;
  if (width <= 0) return;
  ctx.fillStyle = withAlpha(state.palette.accent, 0.15);
  ctx.fillRect(left, area.top, width, area.bottom - area.top);
  ctx.strokeStyle = withAlpha(state.palette.accent, 0.7);
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(left) + 0.5, area.top + 0.5, Math.round(width), area.bottom - area.top - 1);
}
