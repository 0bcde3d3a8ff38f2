// ANSI SGR style runs as CSS: palette colours 0–15 follow the theme (classes over --ansi-N), 16–255 are
// xterm's colour cube and grey ramp, and 24-bit colours arrive as #rrggbb; both go in through the CSSOM,
// which the page's CSP allows (style attributes it does not).
import type { StyleRun } from '../worker-channel/worker-protocol';

/** Palette entries the theme defines (--ansi-0 … --ansi-15). */
const THEME_COLOURS = 16;
/** xterm's 6×6×6 cube (16–231) uses these channel values; 232–255 is a grey ramp from 8 in steps of 10. */
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;
const GREY_RAMP_START = 232;
const PALETTE_SIZE = 256;
const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

/** The CSS colour of xterm palette entry `n` for 16 ≤ n ≤ 255; null outside that range. */
function xtermColour(n: number): string | null {
  if (!Number.isInteger(n) || n < THEME_COLOURS || n >= PALETTE_SIZE) return null;
  if (n >= GREY_RAMP_START) {
    const grey = 8 + 10 * (n - GREY_RAMP_START);
    return rgb(grey, grey, grey);
  }
  const cube = n - THEME_COLOURS;
  return rgb(CUBE_LEVELS[Math.floor(cube / 36)]!, CUBE_LEVELS[Math.floor(cube / 6) % 6]!, CUBE_LEVELS[cube % 6]!);
}

/** Styles `span` as `run` says. Inverse swaps the colours; a side left at its default takes the other default. */
export function paintStyleRun(span: HTMLElement, run: StyleRun): void {
  const classes: string[] = [];
  const fg = run.inverse ? run.bg : run.fg;
  const bg = run.inverse ? run.fg : run.bg;
  if (!paint(span, 'fg', fg, classes) && run.inverse) classes.push('ansi-fg-inverse');
  if (!paint(span, 'bg', bg, classes) && run.inverse) classes.push('ansi-bg-inverse');
  if (run.bold) classes.push('ansi-bold');
  if (run.dim) classes.push('ansi-dim');
  if (run.italic) classes.push('ansi-italic');
  if (run.underline) classes.push('ansi-underline');
  if (run.strike) classes.push('ansi-strike');
  if (classes.length > 0) span.className = classes.join(' ');
}

/** True when the colour was set (a known palette index or a well-formed #rrggbb). */
function paint(span: HTMLElement, side: 'fg' | 'bg', colour: number | string | undefined, classes: string[]): boolean {
  let css: string | null = null;
  if (typeof colour === 'number') {
    if (Number.isInteger(colour) && colour >= 0 && colour < THEME_COLOURS) {
      classes.push(`ansi-${side}-${colour}`);
      return true;
    }
    css = xtermColour(colour);
  } else if (typeof colour === 'string' && HEX_COLOUR.test(colour)) {
    css = colour;
  }
  if (css === null) return false;
  if (side === 'fg') span.style.color = css;
  else span.style.backgroundColor = css;
  return true;
}

function rgb(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}
