// The fixed bounds and the default timings of the log sources, in one place. The user-facing bounds (line
// length, partial-line wait, files followed, depth, backfill) are LogSourcesOptions; the timings below can be
// given there too (`timings`), shorter in tests.

/** Largest single read from a followed file. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** A read's lines are handed on (one `appendLines` batch) every this many, so few are alive at once. */
export const LINES_HANDED_ON_AT = 512;

/** Lines the line kernel writes are handed on in batches of about this many bytes of JSON (the hub's batch). */
export const ENCODED_BATCH_BYTES = 64 * 1024;

/**
 * Lines in a row the line kernel may leave in one read before the JS way takes the rest of it: a log whose
 * lines it never takes (local times without a zone, say) costs it a few tries a read, not one a line.
 */
export const KERNEL_MISSES_PER_READ = 8;

/**
 * Largest read made at once, synchronously, when a write to a file on a local disk wakes it (see
 * FileReader.readInline); more than this is read on through the thread pool.
 */
export const INLINE_READ_BYTES = 64 * 1024;

/** Read buffers kept for reuse when idle; more may exist while that many reads run at once. */
export const READ_BUFFERS_KEPT = 4;

/** Backfill reads backwards in chunks of this size, so its cost follows the lines asked for, not the file size. */
export const BACKFILL_CHUNK_BYTES = 64 * 1024;

/** A backfill never scans more than this many bytes back from the end, however long the lines are. */
export const BACKFILL_MAX_SCAN_BYTES = 32 * 1024 * 1024;

/** The default timings (LogTimings in log-sources.ts). */
export const LOG_TIMINGS = Object.freeze({
  /**
   * One timer re-checks every followed file this often: chokidar throttles, merges and (on some file
   * systems) drops events, so an event is only ever a hint to look sooner.
   */
  safetyTickMs: 1000,
  /** A file under a --dir that stays missing this long is dropped (`remove`); before that it is `waiting`. */
  removedAfterMs: 10_000,
  /**
   * A file rotated away by rename is still read until it has been quiet this long, because the writer keeps
   * appending to it until it reopens its log (Fluent Bit's `rotate_wait` has the same default).
   */
  rotatedGraceMs: 5000,
  /** `sourceChanged('update')` goes out at most this often per source. */
  updateIntervalMs: 1000,
  /** Poll interval of chokidar when polling (--poll, or the fallback after a watcher error). */
  pollIntervalMs: 1000,
});

/** Bytes sniffed at the start of a discovered file: a NUL byte in them marks it binary. */
export const BINARY_SNIFF_BYTES = 4096;

/**
 * Binary files under the --dirs remembered (so their every write does not cost a sniff): at most 4096 paths,
 * about 1 MiB of strings. Past it the oldest is forgotten, and sniffed again at its next write.
 */
export const BINARY_PATHS_KEPT = 4096;

/**
 * Warnings per --dir about symlinks not followed because they lead outside it (one per path). A folder full of
 * such links must not flood the operator's terminal; the last one says that the rest go unmentioned.
 */
export const OUTSIDE_SYMLINK_WARNINGS = 16;

/** A file born this little before start still counts as created after it (coarse file-system clocks). */
export const BIRTH_CLOCK_SLACK_MS = 1000;

/** Bytes at the start of a file kept as its fingerprint (re-read on every check: one small pread). */
export const FINGERPRINT_BYTES = 1024;

/** Rotated-away files kept open per source during their grace period; past it the oldest is finished early. */
export const ROTATED_FILES_KEPT = 4;

/** Ended contents remembered, so a rotated copy found later starts where its original was read to. */
export const ENDED_CONTENTS_KEPT = 64;

/** Rotated files beside a log looked at for a copy or a skipped file (`app.log.1`, `app.log-2024…`). */
export const ROTATED_SIBLINGS_LOOKED_AT = 32;

/** Per-source lines/s and errors/s are averaged over this many safety ticks (seconds). */
export const RATE_WINDOW_SAMPLES = 5;

/**
 * Removed sources whose last seq is remembered, so one that comes back goes on from it. Past this the oldest
 * is forgotten: one that comes back then starts above every forgotten seq (see dropped-seqs.ts).
 */
export const DROPPED_SEQS_KEPT = 4096;
