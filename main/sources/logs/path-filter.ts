// Decides which files under a --dir are followed: --include/--exclude globs (or the default list),
// and never a compressed rotation.
import picomatch from 'picomatch';
import { basename, extname } from 'node:path';
import { COMPRESSED_EXTENSIONS, DEFAULT_INCLUDE } from './default-patterns';

/** Takes a path relative to its --dir, with `/` separators. */
export type PathFilter = (relativePath: string) => boolean;

const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true };

export function isCompressed(path: string): boolean {
  return COMPRESSED_EXTENSIONS.includes(extname(path).toLowerCase());
}

export interface PathFilters {
  /** Files followed. */
  file: PathFilter;
  /** Directories descended into: not one an --exclude glob names (`journal`, `journal/**`). */
  dir: PathFilter;
}

export function createPathFilters(include: readonly string[], exclude: readonly string[]): PathFilters {
  const included = picomatch(include.length > 0 ? [...include] : [...DEFAULT_INCLUDE], GLOB_OPTIONS);
  const excluded = exclude.length > 0 ? picomatch([...exclude], GLOB_OPTIONS) : () => false;
  // A glob may name a path (`app/**/*.log`) or just a file name (`*.log`): either way of matching counts.
  const matches = (test: (s: string) => boolean, rel: string) => test(rel) || test(basename(rel));
  return {
    file: (rel) => !isCompressed(rel) && matches(included, rel) && !matches(excluded, rel),
    // Not watching an excluded tree saves inotify watches (think of /var/log/journal).
    dir: (rel) => rel === '' || !matches(excluded, rel),
  };
}
