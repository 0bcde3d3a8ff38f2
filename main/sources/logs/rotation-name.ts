// The names rotation tools give a log: logrotate's `app.log.1`, `app.log-20240131`, `app.log.1.gz`, and the
// `_` and `-` variants of other tools. Only files so named are ever taken for a copy of a log.
import { basename, dirname } from 'node:path';

const ROTATION_SEPARATORS = new Set(['.', '-', '_']);

/** `rotated` is a name logrotate (or a similar tool) would give `original` when rotating it. */
export function isRotationName(original: string, rotated: string): boolean {
  if (dirname(original) !== dirname(rotated)) return false;
  const base = basename(original);
  const name = basename(rotated);
  return name.length > base.length + 1 && name.startsWith(base) && ROTATION_SEPARATORS.has(name[base.length]!);
}
