// Opens a file that still carries a content, for reading its lines again (line-history.ts): a file a source
// holds, through a second fd of its own (so history never shares a read position, nor an fd closed under
// it), else the file it began in, found again beside its path by identity once every source let it go.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Content } from './content';
import { readFingerprint, sameStart } from './fingerprint';
import { identityKey } from './file-reader';
import type { HistoryFiles, OpenContent } from './line-history';
import { openLogFile } from './open-log-file';
import type { ReaderRegistry } from './reader-registry';
import { rotationsOf } from './rotated-siblings';

export function contentFiles(registry: ReaderRegistry, maxLineBytes: number): HistoryFiles {
  return {
    maxLineBytes,
    async open(content: Content): Promise<OpenContent | null> {
      const held = registry.carrying(content);
      if (held) return reopen(held.handle.fd, identityKey(held.dev, held.ino));
      // Its first file was rewritten: what it held is in no file we can name.
      if (content.rewritten) return null;
      return findByIdentity(content);
    },
  };
}

/** A second fd on an open file (Linux's /proc/self/fd: the same file even when renamed or deleted). */
async function reopen(fd: number, key: string): Promise<OpenContent | null> {
  try {
    const handle = await open(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = await handle.stat({ bigint: true });
    if (identityKey(stats.dev, stats.ino) === key) return { handle, release: () => handle.close() };
    await handle.close();
  } catch {
    // not Linux, or closed meanwhile
  }
  return null;
}

/** The file the content began in, at its path or one of its rotation names, if it still begins as it did. */
async function findByIdentity(content: Content): Promise<OpenContent | null> {
  const candidates = [content.homePath, ...(await rotationsOf(content.homePath)).map((s) => s.path)];
  for (const path of candidates) {
    try {
      const { handle, stats } = await openLogFile(path, { noFollow: true });
      const same = identityKey(stats.dev, stats.ino) === content.firstFile;
      if (same && sameStart(content.fingerprint, await readFingerprint(handle, Number(stats.size)))) {
        return { handle, release: () => handle.close() };
      }
      await handle.close();
    } catch {
      // gone, or not a regular file
    }
  }
  return null;
}
