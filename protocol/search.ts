// GET /api/search: matching lines of the sources' files on disk, newest first, as NDJSON (contract: "The whole
// log, beyond the live tail").

/** Matching lines given out at most per search (`limit` defaults to 100). */
export const MAX_SEARCH_MATCHES = 1000;

export interface SearchRequest {
  /** Plain text (case-insensitive unless it has a capital) or `/regex/flags`. */
  q: string;
  /** null: every source. */
  sources: string[] | null;
  limit: number;
}

export interface SearchMatchLine {
  type: 'match';
  source: string;
  /** As in `log` events and GET /api/lines (older lines count down past 1). */
  seq: number;
  ts: number;
  text: string;
}

export interface SearchDoneLine {
  type: 'done';
  matches: number;
  /** Bytes looked at (of a `.gz`, its uncompressed bytes). */
  scannedBytes: number;
  /** Stopped before the oldest line of every file: `reason` says why. */
  truncated: boolean;
  reason?: 'matches' | 'bytes' | 'deadline' | 'aborted' | 'slow-regex';
}

export type SearchLine = SearchMatchLine | SearchDoneLine;
