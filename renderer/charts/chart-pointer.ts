// The pointer on a chart: hover (for the shared crosshair), drag across the plot to select a time range,
// click without dragging (the log-rate chart jumps the log there), double-click to go back to live.
import type { Chart } from 'chart.js';

/** Movement under this many CSS pixels between press and release is a click, not a selection. */
const DRAG_MIN_PX = 5;

export interface PointerHandlers {
  hover(ts: number | null): void;
  /** The range dragged across so far; null when the drag ends or is abandoned. */
  band(range: { min: number; max: number } | null): void;
  select(min: number, max: number): void;
  click(ts: number): void;
  reset(): void;
}

export function attachPointer(chart: Chart<'line'>, handlers: PointerHandlers): void {
  const canvas = chart.canvas;
  let press: { x: number; pointerId: number; dragging: boolean } | null = null;

  const inPlot = (x: number, y: number): boolean => {
    const area = chart.chartArea;
    return x >= area.left && x <= area.right && y >= area.top && y <= area.bottom;
  };
  const clampX = (x: number): number => Math.min(chart.chartArea.right, Math.max(chart.chartArea.left, x));
  const timeAt = (x: number): number => chart.scales.x!.getValueForPixel(clampX(x)) ?? NaN;
  const finish = (): void => {
    if (press?.dragging === true) handlers.band(null);
    press = null;
  };

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || !inPlot(event.offsetX, event.offsetY)) return;
    press = { x: event.offsetX, pointerId: event.pointerId, dragging: false };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (press !== null && event.pointerId === press.pointerId) {
      if (!press.dragging && Math.abs(event.offsetX - press.x) >= DRAG_MIN_PX) press.dragging = true;
      if (press.dragging) {
        const a = timeAt(press.x);
        const b = timeAt(event.offsetX);
        handlers.band({ min: Math.min(a, b), max: Math.max(a, b) });
      }
    }
    handlers.hover(inPlot(event.offsetX, event.offsetY) || press?.dragging === true ? timeAt(event.offsetX) : null);
  });
  canvas.addEventListener('pointerup', (event) => {
    if (press === null || event.pointerId !== press.pointerId) return;
    if (press.dragging) {
      const a = timeAt(press.x);
      const b = timeAt(event.offsetX);
      finish();
      if (Number.isFinite(a) && Number.isFinite(b)) handlers.select(Math.min(a, b), Math.max(a, b));
    } else {
      finish();
      const ts = timeAt(event.offsetX);
      if (Number.isFinite(ts)) handlers.click(ts);
    }
  });
  canvas.addEventListener('pointercancel', finish);
  canvas.addEventListener('lostpointercapture', finish);
  canvas.addEventListener('pointerleave', () => {
    if (press === null) handlers.hover(null);
  });
  canvas.addEventListener('dblclick', (event) => {
    if (inPlot(event.offsetX, event.offsetY)) handlers.reset();
  });
}
