// The log panel's bounds in one place: how much DOM a pane keeps, how much work one row may cost, and how
// long its small timers wait. Each is named here so that a reader finds it without searching the loops.
export const LOG_PANEL_LIMITS = {
  /** Rows drawn beyond each edge of the viewport, so a small scroll shows rows already laid out. */
  domOverscanRows: 6,
  /** Screens of rows asked of the worker beyond the visible one, each way: wheel scrolling rarely waits for data. */
  dataOverscanScreens: 1,
  /** Characters of one line drawn; the rest is counted ("… (N more characters)"): it caps layout work per row. */
  maxDrawnChars: 10_000,
  /** Characters of pretty-printed JSON drawn under an expanded row. */
  maxJsonChars: 20_000,
  /** Rows with their JSON expanded, per pane; past it the oldest expansion closes. */
  maxExpandedRows: 1_000,
  /** Panes side by side in per-source layout: more would be too narrow to read. */
  maxPanes: 4,
  /** A pane side by side is at least this wide (about 50 characters of message beside time, level and source): a narrower panel shows fewer panes. */
  minPaneWidthPx: 480,
  /** Missing or unreadable sources an empty pane names (a --dir may hold a thousand); the rest are counted. */
  maxListedProblemSources: 5,
  /** Typing pauses this long before a query is sent: each change re-filters the whole buffer. */
  queryDebounceMs: 80,
  /** How long the row found by a time seek stays highlighted. */
  seekFlashMs: 1_600,
  /** How long the line a notification led to stays marked: long enough to find it on a busy screen. */
  markedLineMs: 6_000,
  /** A download's blob URL is revoked after this: the browser has long started the download by then. */
  downloadUrlMs: 30_000,
  /** Row height assumed until a row was measured. */
  defaultRowHeightPx: 18,
  /** Width bounds of the source column, in characters (it fits the longest source name between them). */
  minSourceChars: 6,
  maxSourceChars: 22,
} as const;
