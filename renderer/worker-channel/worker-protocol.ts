// Messages between the dashboard page and its log worker. The worker owns the stream connection, every
// log line the page holds, and all parsing and filtering; the page draws the few rows it is shown and
// the charts. At 100k lines/s that keeps the page's main thread free to scroll, type and draw.
import type { LogLevel, WireEvent } from '../../protocol/events';

/** A line's level as the filters see it: `none` for a line the server gave no level. */
export type LevelKey = LogLevel | 'none';
export const LEVEL_KEYS: readonly LevelKey[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'none'];

export interface FilterSpec {
  /** Text to look for: a substring (case-insensitive unless it has a capital), or `/regex/flags`. '' = none. */
  query: string;
  /** Show the lines that do *not* match the query. */
  invert: boolean;
  /** `filter` hides lines that do not match; `highlight` keeps every line and marks the matches. */
  mode: 'filter' | 'highlight';
  /** Levels switched off by the user (always hidden, in both modes). */
  hiddenLevels: LevelKey[];
  /** Source ids switched off by the user (always hidden, in both modes). */
  hiddenSources: string[];
}

/** A rule that only marks (never hides): matches are drawn in its colour. Same query syntax as FilterSpec. */
export interface HighlightRule {
  query: string;
  /** A CSS colour. */
  color: string;
}

/** One pane of the log view. */
export interface ViewSpec {
  id: string;
  /** The sources it shows; null = every source, merged and ordered by time. */
  sources: string[] | null;
}

// ---------------------------------------------------------------------------------------------------
// The connection, which the page asks for and the worker's stream client reports on

/** Where the dashboard's server is and how a request proves it may ask (see stream/server-endpoint.ts). */
export interface ServerEndpoint {
  /** The server's root, ending in `/`: `http://127.0.0.1:PORT/`. */
  base: string;
  /** Sent as `?token=` on every request; null when the cookie carries it (same origin). */
  token: string | null;
}

export type TransportKind = 'sse' | 'ws' | 'poll';
/** `auto` tries SSE, then WebSocket, then long-poll. */
export type TransportPreference = 'auto' | TransportKind;

type StreamStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface StreamState {
  status: StreamStatus;
  transport: TransportKind;
  /** Why the last connection ended, while not connected. */
  detail: string | null;
  /** Our clock minus the server's at `hello`: clock skew plus one-way latency. */
  clockOffsetMs: number | null;
  /** When the last event arrived (Date.now()), for "last event N s ago". */
  lastEventAt: number | null;
}

// ---------------------------------------------------------------------------------------------------
// Page → worker

export interface ConnectMessage {
  type: 'connect';
  /** The server to stream from: the page's own origin in a browser, the local server in the desktop window. */
  server: ServerEndpoint;
  transport: TransportPreference;
  /** Lines of history per source on a fresh start. */
  backfill: number;
  /** Lines the worker keeps, of all sources together (every view lists them); the oldest received go first. */
  bufferLines: number;
}

interface ViewsMessage {
  type: 'views';
  views: ViewSpec[];
}

interface FilterMessage {
  type: 'filter';
  filter: FilterSpec;
  highlights: HighlightRule[];
}

/**
 * The rows a pane shows. `follow`: the last `count` rows, moving with new lines. Otherwise the `count`
 * rows from absolute index `first` (see ViewUpdate.firstIndex), which stay put while lines arrive.
 */
export interface WindowMessage {
  type: 'window';
  view: string;
  follow: boolean;
  first: number;
  count: number;
}

/** The page drew the last update and can take the next (one update in flight: a busy page is never flooded). */
interface FrameMessage {
  type: 'frame';
}

/**
 * Where is the first row of `view` at or after time `ts`? With `line`: where is the row holding that line
 * (null when the view does not show it)? Answered by SeekResult.
 */
interface SeekMessage {
  type: 'seek';
  requestId: number;
  view: string;
  ts: number;
  line?: { source: string; seq: number };
}

/** The text of rows [first, last] of `view` (absolute indexes, both ends included; all rows if absent). */
interface ExportMessage {
  type: 'export';
  requestId: number;
  view: string;
  first?: number;
  last?: number;
}

/**
 * Unfolds (`open`) or folds the entry at absolute `index` of `view`'s list `generation` (ViewUpdate.generation);
 * ignored when the list was rebuilt since. Each view keeps which of its entries are unfolded.
 */
interface FoldMessage {
  type: 'fold';
  view: string;
  generation: number;
  index: number;
  open: boolean;
}

/**
 * Loads older lines from disk into `view` (the reader reached its top): up to a page per source it shows,
 * before the oldest line it holds of each. Ignored while a page is on its way; ViewUpdate.history tells.
 */
interface OlderMessage {
  type: 'older';
  view: string;
}

/** Drops every line of `view` (the user's "clear"). */
interface ClearMessage {
  type: 'clear';
  view: string;
}

export type PageMessage =
  | ConnectMessage
  | ViewsMessage
  | FilterMessage
  | WindowMessage
  | FrameMessage
  | SeekMessage
  | ExportMessage
  | FoldMessage
  | OlderMessage
  | ClearMessage;

// ---------------------------------------------------------------------------------------------------
// Worker → page

/** Connection state, with `lagMs`: how much later than at `hello` the server's samples now arrive. */
export interface StreamMessage {
  type: 'stream';
  state: StreamState;
  lagMs: number | null;
}

/** Everything but log lines, as the stream client delivered it (hello, source, metrics, processes, gap, reset). */
interface ServerEventMessage {
  type: 'server-event';
  event: Exclude<WireEvent, { type: 'log' | 'pong' | 'error' }>;
}

/** An SGR style run: [start, end) in the row's text, and the style. Palette indexes 0–255, or `#rrggbb`. */
export interface StyleRun {
  start: number;
  end: number;
  fg?: number | string;
  bg?: number | string;
  bold?: true;
  dim?: true;
  italic?: true;
  underline?: true;
  inverse?: true;
  strike?: true;
}

/** A marked range [start, end): `rule` -1 is the query (highlight mode, or the match in filter mode), k ≥ 0 highlight k. */
export interface MarkRange {
  start: number;
  end: number;
  rule: number;
}

export type MarkerKind = 'gap' | 'reset';

/** A line of an entry after its first, drawn under it: its time, level and source are the entry's. */
export interface ContLine {
  /** Its place in the entry: 1 is the line right after the row's first one. */
  at: number;
  seq: number;
  /** As LineRow's. */
  text: string;
  cut?: true;
  styles?: StyleRun[];
  marks?: MarkRange[];
  links?: { start: number; end: number }[];
}

/**
 * An entry: one log event, its first line held and, when it has more (a stack trace, a traceback), the lines
 * that continue it. Filters judge the entry as a whole; its time and level are its first line's.
 */
export interface LineRow {
  kind: 'line';
  /** Absolute index in the view's filtered list. */
  index: number;
  source: string;
  /** Of the first line drawn; the entry's lines are seq … seq + lines − 1. */
  seq: number;
  ts: number;
  level?: LogLevel;
  /** The line with ANSI escapes taken out: what filters match and what is drawn. */
  text: string;
  cut?: true;
  styles?: StyleRun[];
  marks?: MarkRange[];
  /** http(s) URLs, [start, end) in `text`. */
  links?: { start: number; end: number }[];
  /** The text is a JSON object or array: the page offers to pretty-print it. */
  json?: true;
  /** The first line drawn continues an event whose start is not held (dropped to keep the bound, or never received). */
  cont?: true;
  /** Lines of the entry held, the first one included; absent for an entry of one line. */
  lines?: number;
  /** The entry is unfolded (the page asked, see FoldMessage): `more` holds its lines after the first, up to a bound. */
  unfolded?: true;
  /**
   * Lines after the first that are drawn, in order. Unfolded: all of them (up to a bound). Folded: the entry's
   * last line that is not indented (a Java trace's root `Caused by:`, a Python traceback's exception), and
   * the first lines the query or a highlight rule finds something in; absent when there is none of those.
   */
  more?: ContLine[];
}

export interface MarkerRow {
  kind: 'marker';
  index: number;
  marker: MarkerKind;
  ts: number;
  /** In words, ready to show: "42 lines of app.log not received (this view fell behind)". */
  text: string;
}

export type Row = LineRow | MarkerRow;

/** Older lines read from disk for a view (see OlderMessage). */
export interface ViewHistory {
  /** A page is on its way. */
  loading: boolean;
  /** The oldest line on disk of every source it shows is held: there is nothing older. */
  start: boolean;
  /** Why the last page brought nothing, for a moment ("older lines are no longer on disk"); null when none. */
  note: string | null;
}

export interface ViewUpdate {
  view: string;
  /** Bumped when the view's filter or sources change, and when it is cleared (by the user or a server restart): absolute indexes start over. */
  generation: number;
  /** Absolute index of the first row still held (rises as old rows go). */
  firstIndex: number;
  /** Rows (entries and markers) in the filtered list now: indexes firstIndex … firstIndex + total − 1. */
  total: number;
  /** Lines the view holds, before the filter. */
  buffered: number;
  /** Lines of the view's sources the worker's store let go to keep its bound (the "older lines dropped" marker). */
  dropped: number;
  /** Entries in the buffer passing the query: a line of them matches it, or none does when inverted (0 when there is none). */
  matches: number;
  /** Entries in the buffer shown with a match of each highlight rule, in rule order. */
  highlightCounts: number[];
  /** The requested window: its first row's absolute index, and its rows. */
  window: { first: number; rows: Row[] };
  /** A query that does not compile: the message, shown beside the filter box (nothing is then filtered). */
  filterError?: string;
  /** Older lines from disk: present once the view asked for some (see OlderMessage). */
  history?: { loading: boolean; start: boolean; note?: string };
}

export interface UpdateMessage {
  type: 'update';
  views: ViewUpdate[];
}

/** `index`: absolute index of the first row at or after `ts`, or null when the view has none. */
export interface SeekResult {
  type: 'seek-result';
  requestId: number;
  view: string;
  index: number | null;
}

/** The rows' text: every line of each entry, one a line, ready to copy or download (see LogView.exportText). */
export interface ExportResult {
  type: 'export-result';
  requestId: number;
  text: string;
  lines: number;
}

/**
 * Removed sources no view holds a line of any more (or past the worker's bound): the page stops listing them.
 * Until then a removed source stays listed, marked removed, so its lines keep their name.
 */
export interface SourcesReleasedMessage {
  type: 'sources-released';
  sources: string[];
}

export type WorkerMessage = StreamMessage | ServerEventMessage | UpdateMessage | SeekResult | ExportResult | SourcesReleasedMessage;
