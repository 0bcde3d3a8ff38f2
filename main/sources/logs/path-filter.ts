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

export function createPathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const included = picomatch(include.length > 0 ? [...include] : [...DEFAULT_INCLUDE], GLOB_OPTIONS);
  const excluded = exclude.length > 0 ? picomatch([...exclude], GLOB_OPTIONS) : () => false;
  // A glob may name a path (`app/**/*.log`) or just a file name (`*.log`): either way of matching counts.
  const matches = (test: (s: string) => boolean, rel: string) => test(rel) || test(basename(rel));
  return (rel) => !isCompressed(rel) && matches(included, rel) && !matches(excluded, rel);
}
