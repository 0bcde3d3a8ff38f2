// For the tray: how many error lines arrived in the last minute, and the tray's tooltip and status texts.

import type { LogLine } from '../../protocol/events';

export interface RecentErrorsOptions {
  /** How far back `count()` looks, in whole seconds (default 60). */
  windowSeconds?: number;
  /** Wall-clock ms (default Date.now). */
  now?: () => number;
}

/**
 * Error and fatal lines over the last `windowSeconds`, in one counter per second: a ring of that many
 * counters, so memory does not depend on the rate. Lines count when they arrive, not by their own
 * timestamps: those can be in another time zone or far behind.
 */
export class RecentErrors {
  private readonly now: () => number;
  private readonly counts: Uint32Array;
  /** Which second each counter is for; a counter for an older second is stale and reads as 0. */
  private readonly seconds: Float64Array;

  constructor(options: RecentErrorsOptions = {}) {
    const windowSeconds = options.windowSeconds ?? 60;
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > 3600) {
      throw new RangeError(`windowSeconds: expected a whole number of seconds from 1 to 3600, got ${windowSeconds}`);
    }
    this.now = options.now ?? Date.now;
    this.counts = new Uint32Array(windowSeconds);
    this.seconds = new Float64Array(windowSeconds).fill(-1);
  }

  add(lines: readonly LogLine[]): void {
    let errors = 0;
    for (const line of lines) if (line.level === 'error' || line.level === 'fatal') errors++;
    if (errors === 0) return;
    const second = Math.floor(this.now() / 1000);
    const i = second % this.counts.length;
    if (this.seconds[i] !== second) {
      this.seconds[i] = second;
      this.counts[i] = 0;
    }
    this.counts[i] = Math.min(this.counts[i]! + errors, 0xffffffff);
  }

  count(): number {
    const second = Math.floor(this.now() / 1000);
    let total = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const age = second - this.seconds[i]!;
      if (age >= 0 && age < this.counts.length) total += this.counts[i]!;
    }
    return total;
  }
}

export interface TrayFigures {
  /** Folders and files the user added. */
  sources: number;
  /** Files followed (a folder yields many). */
  files: number;
  errorsLastMinute: number;
  sharing: boolean;
  /** Browsers connected to the shared dashboard. */
  clients: number;
}

export interface TrayStatus {
  /** The tray icon's tooltip (Windows shows at most 127 characters). */
  tooltip: string;
  /** The status line at the top of the tray menu. */
  menuLabel: string;
}

export function trayStatus(figures: TrayFigures): TrayStatus {
  const errors =
    figures.errorsLastMinute === 0 ? 'no errors in the last minute' : `${count(figures.errorsLastMinute, 'error')} in the last minute`;
  const sharing = figures.sharing ? `shared with ${count(figures.clients, 'browser')}` : null;
  const tooltip = `tailwatch — ${count(figures.sources, 'source')}, ${count(figures.files, 'file')}, ${errors}${sharing ? `, ${sharing}` : ''}`;
  const menuLabel = capitalize(sharing ? `${errors} · ${sharing}` : errors);
  return { tooltip, menuLabel };
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
