// The theme as the canvases need it: the CSS variables of base.css read into plain colour strings (a canvas
// cannot use var()), read again whenever the theme or the system's colour scheme changes.
import { SOURCE_COLOURS } from '../services/source-directory';
import { THEME_CHANGE_EVENT } from '../services/theme';

export interface Palette {
  readonly bg: string;
  readonly fg: string;
  readonly muted: string;
  readonly border: string;
  readonly grid: string;
  readonly accent: string;
  readonly warn: string;
  readonly levelError: string;
  /** `--source-0` … `--source-11`: the categorical colours. */
  readonly sources: readonly string[];
  readonly sans: string;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    bg: read('--bg', '#ffffff'),
    fg: read('--fg', '#1f2328'),
    muted: read('--muted', '#656d76'),
    border: read('--border', '#d0d7de'),
    grid: read('--chart-grid', '#d8dee4'),
    accent: read('--accent', '#0969da'),
    warn: read('--warn', '#9a6700'),
    levelError: read('--level-error', '#cf222e'),
    sources: Array.from({ length: SOURCE_COLOURS }, (_, i) => read(`--source-${i}`, '#6e7781')),
    sans: read('--sans', 'sans-serif'),
  };
}

/** Calls `listener` after the theme changed: the top bar's switch, or the system's preference (app.ts relays it). */
export function onThemeChange(listener: () => void): void {
  document.addEventListener(THEME_CHANGE_EVENT, listener);
}

let probe: CanvasRenderingContext2D | null = null;

/** `colour` (any CSS colour) at `alpha` opacity, as an rgba() string a canvas takes. */
export function withAlpha(colour: string, alpha: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (probe === null) return colour;
  // The canvas normalises any CSS colour to #rrggbb (opaque) or rgba(r, g, b, a).
  probe.fillStyle = '#000000';
  probe.fillStyle = colour;
  const normal = String(probe.fillStyle);
  if (normal.startsWith('#') && normal.length === 7) {
    const n = Number.parseInt(normal.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgba = /^rgba\((\d+), (\d+), (\d+), ([\d.]+)\)$/.exec(normal);
  return rgba === null ? normal : `rgba(${rgba[1]}, ${rgba[2]}, ${rgba[3]}, ${Number(rgba[4]) * alpha})`;
}
