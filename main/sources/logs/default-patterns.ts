// Which files under a --dir are logs when the user gives no --include, and which are never followed.

/**
 * Matched against the path relative to its --dir and against the file name, so `*.log` works at any depth.
 * Plain logs, the usual stdout/stderr captures, the classic syslog names, and uncompressed rotations
 * (`app.log.1` from logrotate, `app.log-20240131` from logrotate's `dateext`).
 */
export const DEFAULT_INCLUDE: readonly string[] = [
  '*.log',
  '*.out',
  '*.err',
  '*.txt',
  'syslog',
  'messages',
  'dmesg',
  '*.log.[0-9]',
  '*.log.[0-9][0-9]',
  '*.log-[0-9]*',
  '*.out.[0-9]',
  '*.err.[0-9]',
  'syslog.[0-9]',
  'syslog-[0-9]*',
  'messages.[0-9]',
  'messages-[0-9]*',
];

/** Compressed rotations: their bytes are not lines, so they are skipped whatever --include says. */
export const COMPRESSED_EXTENSIONS: readonly string[] = ['.gz', '.zip', '.xz', '.bz2', '.zst', '.lz4', '.z'];
