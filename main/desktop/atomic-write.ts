// Replacing a small file so that a crash or a power cut leaves either the old content or the new, never a
// mix: a temp file beside it, flushed to disk, renamed over the target, then the rename itself made durable.
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes in progress per path: one temp name per process and path, so writes to one path take turns. */
const pending = new Map<string, Promise<void>>();

/** Replaces `path` with `text` (mode `mode`, whatever the umask) once no other write of it is under way. */
export function writeFileAtomic(path: string, text: string, mode: number): Promise<void> {
  const turn = (pending.get(path) ?? Promise.resolve()).then(
    () => replace(path, text, mode),
    () => replace(path, text, mode),
  );
  pending.set(path, turn);
  const forget = () => {
    if (pending.get(path) === turn) pending.delete(path);
  };
  turn.then(forget, forget);
  return turn;
}

async function replace(path: string, text: string, mode: number): Promise<void> {
  // A temp file a crash left behind is never read; this process's next write of `path` reuses the name.
  const temp = `${path}.tmp-${process.pid}`;
  try {
    const handle = await open(temp, 'w', mode);
    try {
      // A temp file left by an earlier run with our pid keeps its old mode through 'w'.
      await handle.chmod(mode);
      await handle.writeFile(text, 'utf8');
      // Without this a power cut after the rename can leave an empty file under the final name (ext4, xfs).
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename durable. Best effort: Windows cannot open a directory, some file systems refuse (EINVAL). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The new content is in place either way; only its survival of a power cut in the next seconds is at stake.
  }
}
