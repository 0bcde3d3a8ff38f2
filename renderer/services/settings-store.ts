// The dashboard's user settings: one typed object, kept in localStorage under the page's origin (in a browser
// that is the server's, so each server has its own; the desktop window's app:// origin is the same at every
// launch, whatever port its server has), read once, written on change.
import type { FilterSpec, HighlightRule, TransportPreference } from '../worker-channel/worker-protocol';

export type ThemePreference = 'system' | 'light' | 'dark';
/** Minutes of the shared chart time window. */
export type TimeWindowMinutes = 1 | 5 | 15 | 60 | 360 | 1440;
export const TIME_WINDOWS: readonly TimeWindowMinutes[] = [1, 5, 15, 60, 360, 1440];
/** `merged`: one pane, every source, ordered by time. `per-source`: one pane per source, side by side. */
type LogLayout = 'merged' | 'per-source';
export type LogColumn = 'time' | 'level' | 'source';

export interface Settings {
  version: 1;
  theme: ThemePreference;
  /** `auto` tries SSE, then WebSocket, then long-poll. */
  transport: TransportPreference;
  timeWindowMinutes: TimeWindowMinutes;
  chartsVisible: boolean;
  /** Height of the charts area in CSS pixels, as dragged; null = the layout's own (shorter on short screens). */
  chartsHeight: number | null;
  /** The CPU chart draws a line per core under the total. */
  chartsPerCore: boolean;
  /** The host the metrics charts show (serve --redis); '' = the server's own. */
  chartsHost: string;
  logLayout: LogLayout;
  /** Source ids shown in their own pane in `per-source` layout; empty = every source. */
  paneSources: string[];
  filter: FilterSpec;
  highlights: HighlightRule[];
  columns: Record<LogColumn, boolean>;
  /** Keys of JSON lines shown as columns before their message (Columns menu; log-panel/json-lead.ts). */
  jsonKeys: string[];
  wrap: boolean;
  /** Log lines the page keeps, all sources together (every view lists them); the oldest received go first, with a marker. */
  bufferLines: number;
  /** The clock every time is shown in: the browser's zone or UTC. */
  timeZone: 'local' | 'utc';
}

export const SETTINGS_LIMITS = {
  minBufferLines: 1_000,
  maxBufferLines: 1_000_000,
  /** Highlight rules beyond this are dropped: each costs a test per line. */
  maxHighlights: 8,
  /** Bounds of a stored charts height (the log view's share of the window bounds it further as the page lays out). */
  minChartsHeight: 120,
  maxChartsHeight: 8_000,
} as const;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  version: 1,
  theme: 'system',
  transport: 'auto',
  timeWindowMinutes: 5,
  chartsVisible: true,
  chartsHeight: null,
  chartsPerCore: true,
  chartsHost: '',
  logLayout: 'merged',
  paneSources: [],
  filter: { query: '', invert: false, mode: 'filter' as const, hiddenLevels: [], hiddenSources: [] },
  highlights: [],
  columns: { time: true, level: true, source: true },
  jsonKeys: [],
  wrap: false,
  bufferLines: 100_000,
  timeZone: 'local',
});

type Listener = (settings: Readonly<Settings>, changed: ReadonlySet<keyof Settings>) => void;

export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<Listener>();
  private readonly key: string;

  /** `server` names whose settings these are: the page's origin. */
  /** `firstVisit`: defaults of a first visit that depend on the device (none saved yet), e.g. wrapping on a phone. */
  constructor(server: string, firstVisit: Partial<Settings> = {}, private readonly storage: Storage | null = safeLocalStorage()) {
    this.key = `tailwatch.settings@${server}`;
    this.current = readSettings(this.storage, this.key, firstVisit);
  }

  get value(): Readonly<Settings> {
    return this.current;
  }

  update(change: Partial<Settings>): void {
    const next = sanitize({ ...this.current, ...change });
    const changed = new Set<keyof Settings>();
    for (const key of Object.keys(change) as (keyof Settings)[]) {
      if (JSON.stringify(next[key]) !== JSON.stringify(this.current[key])) changed.add(key);
    }
    if (changed.size === 0) return;
    this.current = next;
    try {
      this.storage?.setItem(this.key, JSON.stringify(next));
    } catch (error) {
      // Quota or disabled storage: the setting holds for this tab, and the console says why it will not last.
      console.warn(`tailwatch: settings not saved (${(error as Error).message})`);
    }
    for (const listener of this.listeners) listener(next, changed);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function readSettings(storage: Storage | null, key: string, firstVisit: Partial<Settings>): Settings {
  let raw: string | null = null;
  try {
    raw = storage?.getItem(key) ?? null;
  } catch {
    raw = null;
  }
  if (raw === null) return sanitize({ ...structuredClone(DEFAULT_SETTINGS), ...firstVisit });
  try {
    return sanitize({ ...structuredClone(DEFAULT_SETTINGS), ...(JSON.parse(raw) as Partial<Settings>) });
  } catch {
    console.warn(`tailwatch: ignoring unreadable saved settings (${key})`);
    return structuredClone(DEFAULT_SETTINGS) as Settings;
  }
}

const oneOf = <T>(value: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const chartsHeight = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.min(SETTINGS_LIMITS.maxChartsHeight, Math.max(SETTINGS_LIMITS.minChartsHeight, Math.round(value)))
    : null;

/** Anything read back from storage (an older build, a hand edit) is checked field by field. */
function sanitize(s: Settings): Settings {
  const d = DEFAULT_SETTINGS;
  const filter = (typeof s.filter === 'object' && s.filter !== null ? s.filter : d.filter) as Partial<FilterSpec>;
  const columns = (typeof s.columns === 'object' && s.columns !== null ? s.columns : d.columns) as Partial<Record<LogColumn, boolean>>;
  const buffer = Number.isInteger(s.bufferLines) ? s.bufferLines : d.bufferLines;
  return {
    version: 1,
    theme: oneOf(s.theme, ['system', 'light', 'dark'], d.theme),
    transport: oneOf(s.transport, ['auto', 'sse', 'ws', 'poll'], d.transport),
    timeWindowMinutes: oneOf(s.timeWindowMinutes, TIME_WINDOWS, d.timeWindowMinutes),
    chartsVisible: typeof s.chartsVisible === 'boolean' ? s.chartsVisible : d.chartsVisible,
    chartsHeight: chartsHeight(s.chartsHeight),
    chartsPerCore: typeof s.chartsPerCore === 'boolean' ? s.chartsPerCore : d.chartsPerCore,
    // A host name is at most 255 characters (RFC 1123); anything longer was not written by the page.
    chartsHost: typeof s.chartsHost === 'string' && s.chartsHost.length <= 255 ? s.chartsHost : d.chartsHost,
    logLayout: oneOf(s.logLayout, ['merged', 'per-source'], d.logLayout),
    paneSources: stringList(s.paneSources),
    filter: {
      query: typeof filter.query === 'string' ? filter.query : '',
      invert: filter.invert === true,
      mode: oneOf(filter.mode, ['filter', 'highlight'], 'filter'),
      hiddenLevels: stringList(filter.hiddenLevels) as FilterSpec['hiddenLevels'],
      hiddenSources: stringList(filter.hiddenSources),
    },
    highlights: (Array.isArray(s.highlights) ? s.highlights : [])
      .filter((h): h is HighlightRule => typeof h?.query === 'string' && typeof h.color === 'string')
      .slice(0, SETTINGS_LIMITS.maxHighlights),
    columns: { time: columns.time !== false, level: columns.level !== false, source: columns.source !== false },
    jsonKeys: stringList(s.jsonKeys).slice(0, 8),
    wrap: s.wrap === true,
    bufferLines: Math.min(SETTINGS_LIMITS.maxBufferLines, Math.max(SETTINGS_LIMITS.minBufferLines, buffer)),
    timeZone: oneOf(s.timeZone, ['local', 'utc'], d.timeZone),
  };
}

/** localStorage throws instead of being absent when storage is disabled (privacy settings, sandboxed frames). */
function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
