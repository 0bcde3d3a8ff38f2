// What a path found under a --dir is, judged before anything there is opened. Followed: a regular file, or a
// symlink to one whose real path stays inside the folder (anywhere with --follow-symlinks). Never: a FIFO,
// socket or device (opening one can block or have effects), nor a symlinked folder by default (what it holds
// inside the folder is reached by its own path; what is outside is not the folder's to show).
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isWithin } from './dir-coverage';

export type DirEntry =
  /**
   * To follow. `real`: the file it leads to (to sniff). `location`: its own directory entry with the folders
   * on the way resolved, the same for every path that reaches it through symlinked folders (a loop), while a
   * symlink file and its target stay two names, as two hard links do.
   */
  | { kind: 'file'; real: string; location: string }
  /** A symlink leading outside the folder, to a file or a folder: not followed without --follow-symlinks. */
  | { kind: 'outside'; real: string; folder: boolean }
  /**
   * Not followed, nothing to say: a FIFO, socket, device or folder, a symlink to one inside (or, with
   * --follow-symlinks, a symlinked folder, which the watcher descends itself), a dangling symlink (the
   * folder's next change looks again), or gone.
   */
  | { kind: 'skip' };

const SKIP: DirEntry = { kind: 'skip' };

/** Looks at `path`, found under the folder whose real path is `realRoot`, without opening it. */
export async function lookAtDirEntry(path: string, realRoot: string, followSymlinks: boolean): Promise<DirEntry> {
  try {
    const own = await lstat(path);
    const location = join(await realpath(dirname(path)), basename(path));
    if (!own.isSymbolicLink()) {
      // Its folders lead outside only when one was swapped for a symlink since the watcher saw it.
      return own.isFile() && (followSymlinks || isWithin(realRoot, location)) ? { kind: 'file', real: location, location } : SKIP;
    }
    const real = await realpath(path);
    const target = await stat(real);
    if (!followSymlinks && !isWithin(realRoot, real)) return { kind: 'outside', real, folder: target.isDirectory() };
    return target.isFile() ? { kind: 'file', real, location } : SKIP;
  } catch {
    return SKIP;
  }
}
