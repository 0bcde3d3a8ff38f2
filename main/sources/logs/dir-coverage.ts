// Which files a --dir covers: the rule its watcher applies (depth, excluded directories, the file
// filter) as one function, so that dropping one root can tell the files another root still follows.
// And whether a path is inside a folder at all, which is how a symlink's target is judged.
import { isAbsolute, relative, sep } from 'node:path';
import type { PathFilters } from './path-filter';

/** `path` below `dir`, with `/` separators, as globs and display names use it. */
export function relativeTo(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

/** Is `path` `dir` itself or below it? Both absolute and resolved (real paths, to judge where a symlink leads). */
export function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}

/** Would a watcher of `dir` (chokidar with this `depth`, ignoring what `filters` reject) follow the file at `path`? */
export function dirCovers(dir: string, path: string, depth: number, filters: PathFilters): boolean {
  const rel = relativeTo(dir, path);
  if (rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return false;
  const parts = rel.split('/');
  // chokidar's depth counts the directories below `dir`: depth 0 is its own files only.
  if (parts.length - 1 > depth) return false;
  for (let i = 1; i < parts.length; i++) if (!filters.dir(parts.slice(0, i).join('/'))) return false;
  return filters.file(rel);
}
