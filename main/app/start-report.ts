// What `serve` says at start about what it follows: the summary line (how many files, which of them are not
// there yet), and one warning for each --include glob, or the default patterns, that picks no file under the
// --dir paths (yet). Worked out from the sources after their first scan; the tailer is asked nothing more.
// The lines are for a terminal: paths and globs are shown with visibleName (no escape or bidi override acts).
import { opendir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { SourceInfo } from '../../protocol/events';
import { describeValue } from '../../protocol/client-messages';
import { visibleName } from '../../protocol/visible-text';
import { DEFAULT_INCLUDE } from '../sources/logs/default-patterns';
import { matchesGlobs } from '../sources/logs/path-filter';

/** Directory entries read, at most, to tell whether a --dir holds any file: a big /var/log is not walked whole. */
const ENTRIES_LOOKED_AT = 10_000;
/** Waiting files named in the summary line; more are only counted. */
const WAITING_NAMED = 3;

/** A --dir as found at start. */
export interface DirLook {
  /** Absolute, as the sources' paths are. */
  path: string;
  /** A directory now. One that is not was warned about by the log sources already. */
  exists: boolean;
  /** It holds a file (of any name) within --depth. */
  hasFiles: boolean;
}

/** `following 3 files (1 waiting: /var/log/missing.log; 1 not readable: /usr)`. */
export function followingLine(sources: readonly SourceInfo[]): string {
  const n = sources.length;
  const named = (state: SourceInfo['state'], label: string): string | null => {
    const paths = sources.filter((s) => s.state === state).map((s) => s.path);
    if (paths.length === 0) return null;
    const more = paths.length > WAITING_NAMED ? ` and ${paths.length - WAITING_NAMED} more` : '';
    return `${paths.length} ${label}: ${paths.slice(0, WAITING_NAMED).join(', ')}${more}`;
  };
  const notes = [named('waiting', 'waiting'), named('error', 'not readable')].filter((note) => note !== null);
  const line = `following ${n} file${n === 1 ? '' : 's'}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  return visibleName(line);
}

/** The path of `file` relative to `dir` with `/` separators, or null when it is not under it. */
function under(dir: string, file: string): string | null {
  const rel = relative(dir, file);
  if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** The default patterns in short: the plain names, their rotations summed up. */
const DEFAULT_IN_SHORT = `${DEFAULT_INCLUDE.filter((g) => !g.includes('[0-9]')).join(', ')} and their rotations`;

/**
 * One line for each --include glob no followed file under any existing --dir matches; with no --include,
 * one for each existing --dir that holds files of which none is followed.
 */
export function patternWarnings(
  options: { include: readonly string[]; exclude: readonly string[] },
  dirs: readonly DirLook[],
  sources: readonly SourceInfo[],
): string[] {
  const present = dirs.filter((d) => d.exists);
  const notExcluded = options.exclude.length > 0 ? ' that is not excluded' : '';
  const relPaths = (dir: string) => sources.flatMap((s) => under(dir, s.path) ?? []);
  if (options.include.length === 0) {
    const lines = present
      .filter((d) => d.hasFiles && relPaths(d.path).length === 0)
      .map((d) => `--dir ${d.path} has files, but none${notExcluded} matches the default patterns (${DEFAULT_IN_SHORT}); --include GLOB picks others`);
    return lines.map(visibleName);
  }
  if (present.length === 0) return [];
  const where = present.map((d) => `--dir ${d.path}`).join(' or ');
  return options.include
    .filter((glob) => {
      const matches = matchesGlobs([glob]);
      return !present.some((d) => relPaths(d.path).some(matches));
    })
    .map((glob) => visibleName(`--include ${describeValue(glob)} matches no file${notExcluded} under ${where} (yet)`));
}

/** Looks at each --dir: is it a directory, does it hold a file within `depth` levels (a bounded look). */
export async function lookAtDirs(dirs: readonly string[], depth: number): Promise<DirLook[]> {
  return Promise.all(
    dirs.map(async (path) => {
      const exists = (await stat(path).catch(() => null))?.isDirectory() ?? false;
      return { path, exists, hasFiles: exists && (await holdsAFile(path, depth)) };
    }),
  );
}

async function holdsAFile(root: string, depth: number): Promise<boolean> {
  let budget = ENTRIES_LOOKED_AT;
  const queue: { dir: string; level: number }[] = [{ dir: root, level: 0 }];
  for (let next = queue.shift(); next && budget > 0; next = queue.shift()) {
    const dir = await opendir(next.dir).catch(() => null);
    if (!dir) continue;
    for await (const entry of dir) {
      if (--budget < 0) break;
      if (!entry.isDirectory()) return true;
      if (next.level < depth) queue.push({ dir: join(next.dir, entry.name), level: next.level + 1 });
    }
  }
  return false;
}
