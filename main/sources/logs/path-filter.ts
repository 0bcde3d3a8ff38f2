// Decides which files under a --dir are followed: --include/--exclude globs (or the default list),
// and never a compressed rotation.
import picomatch from 'picomatch';
import { basename, extname } from 'node:path';
import { COMPRESSED_EXTENSIONS, DEFAULT_INCLUDE } from './default-patterns';
import { GLOB_OPTIONS } from './glob-syntax';

/** Takes a path relative to its --dir, with `/` separators. */
export type PathFilter = (relativePath: string) => boolean;

export function isCompressed(path: string): boolean {
  return COMPRESSED_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** A gzip file by its name: the one compression history and search read. */
export function isGzip(path: string): boolean {
  return extname(path).toLowerCase() === '.gz';
}

export interface PathFilters {
  /** Files followed. */
  file: PathFilter;
  /** Directories descended into: not one an --exclude glob names (`journal`, `journal/**`). */
  dir: PathFilter;
}

/** True for a relative path one of `globs` matches. */
export function matchesGlobs(globs: readonly string[]): PathFilter {
  if (globs.length === 0) return () => false;
  const test = picomatch([...globs], GLOB_OPTIONS);
  // A glob may name a path (`app/**/*.log`) or just a file name (`*.log`): either way of matching counts.
  return (rel) => test(rel) || test(basename(rel));
}

export function createPathFilters(include: readonly string[], exclude: readonly string[]): PathFilters {
  const included = matchesGlobs(include.length > 0 ? include : DEFAULT_INCLUDE);
  const excluded = matchesGlobs(exclude);
  return {
    file: (rel) => !isCompressed(rel) && included(rel) && !excluded(rel),
    // Not watching an excluded tree saves inotify watches (think of /var/log/journal).
    dir: (rel) => rel === '' || !excluded(rel),
  };
}
