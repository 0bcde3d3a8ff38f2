// Which folders a --dir's watcher descends with --follow-symlinks. chokidar then follows symlinked folders and
// bounds a loop (`loop -> .`, `up -> ..`) only by --depth, finding the same files again under ever longer
// paths. Here each real folder is descended once: by its own path when it is inside the --dir (a symlink to
// it adds nothing), else by the first path that reached it. A link back to a folder on the way (an ancestor)
// or to one watched already is not descended. Without --follow-symlinks no symlinked folder is descended.
import { realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isWithin } from './dir-coverage';

export class DirDescent {
  /**
   * Each folder outside the --dir that was descended, by real path, with the path that reached it. As many as
   * the watcher holds (--depth bounds them); the watcher is rebuilt with a new DirDescent.
   */
  private readonly reachedBy = new Map<string, string>();

  /** `root` as watched; `realRoot` its real path. */
  constructor(
    private readonly root: string,
    private readonly realRoot: string,
  ) {}

  /**
   * May the watcher descend the folder at `path`? Synchronous, as chokidar's `ignored` is: one realpath per
   * folder looked at, which only --follow-symlinks costs.
   */
  mayDescend(path: string): boolean {
    const real = realOf(path);
    if (real === null) return true; // gone: there is nothing to descend
    if (real === join(this.realRoot, relative(this.root, path))) return true; // no symlink on the way
    if (isWithin(this.realRoot, real)) return false;
    const first = this.reachedBy.get(real);
    // The first path may be gone, or lead elsewhere now: then this one takes over.
    if (first === undefined || first === path || realOf(first) !== real) {
      this.reachedBy.set(real, path);
      return true;
    }
    return false;
  }
}

function realOf(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}
