// The files history reads (line-history.ts): a content read in this run, through a second fd on the file a
// source holds (so history never shares a read position, nor an fd closed under it), or the file it began in,
// found again beside its path by identity; and the rotations before them (`app.log.1`, `app.log.2.gz`),
// newest first, found by name and last write.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Content } from './content';
import { readFingerprint, sameStart } from './fingerprint';
import { identityKey } from './file-reader';
import { HISTORY_MAX_MS, type HistoryFiles, type OpenHistoryFile, type ReadableAt } from './line-history';
import type { HistoryFile, RotatedFile } from './line-index';
import { openLogFile } from './open-log-file';
import type { ReaderRegistry } from './reader-registry';
import { isGzip } from './path-filter';
import { rotationsOf } from './rotated-siblings';

/** A `.gz` rotation is read whole into memory (no reading it backwards): past this many bytes it is not read. */
export const HISTORY_GZ_MAX_BYTES = 256 * 1024 * 1024;

/** Rotations looked at beside a log when paging back, at most. */
const ROTATIONS_LOOKED_AT = 64;

const gunzipAsync = promisify(gunzip);

/** The files one answer reads, with its deadline. */
export function historyFiles(registry: ReaderRegistry, maxLineBytes: number): HistoryFiles {
  return {
    maxLineBytes,
    deadline: Date.now() + HISTORY_MAX_MS,
    async open(file: HistoryFile): Promise<OpenHistoryFile | null> {
      if ('rotated' in file) return openRotated(file.rotated);
      const { content } = file;
      const held = registry.carrying(content);
      if (held) {
        const key = identityKey(held.dev, held.ino);
        // Where /proc/self/fd is missing (macOS, Windows), the same file found again by name.
        const again = process.platform === 'linux' ? await reopen(held.handle.fd, key) : null;
        return again ?? (await findByIdentity([held.foundAt], content, key));
      }
      // Its first file was rewritten: what it held is in no file we can name.
      if (content.rewritten) return null;
      return findByIdentity([], content, content.firstFile);
    },
    async older(file: HistoryFile): Promise<RotatedFile | null> {
      const base = 'rotated' in file ? file.rotated.base : file.content.homePath;
      const key = 'rotated' in file ? file.rotated.key : file.content.firstFile;
      // The one written last before this file began (a content: its birth; a rotation: its own last write).
      const before = 'rotated' in file ? file.rotated.mtimeMs : file.content.firstFileBornMs;
      if (before === 0) return null; // no birth time kept: which rotation came before cannot be told
      return (await rotationsNewestFirst(base)).find((r) => r.key !== key && r.mtimeMs < before) ?? null;
    },
  };
}

/** The rotations beside `path` (`.gz` included), last written first, as history remembers them. */
async function rotationsNewestFirst(path: string): Promise<RotatedFile[]> {
  return (await rotationsOf(path, { gzip: true, max: ROTATIONS_LOOKED_AT })).map(({ path: rotated, stats }) => ({
    path: rotated,
    key: identityKey(stats.dev, stats.ino),
    mtimeMs: Number(stats.mtimeNs / 1_000_000n),
    gz: isGzip(rotated),
    base: path,
  }));
}

async function openRotated(rotated: RotatedFile): Promise<OpenHistoryFile | null> {
  try {
    const { handle, stats } = await openLogFile(rotated.path, { noFollow: true });
    if (identityKey(stats.dev, stats.ino) !== rotated.key) {
      await handle.close();
      return null; // renamed on since: found again by the next look, under its new name
    }
    if (!rotated.gz) return { handle, size: Number(stats.size), release: () => handle.close() };
    try {
      if (stats.size > BigInt(HISTORY_GZ_MAX_BYTES)) return null;
      const bytes = await gunzipAsync(await handle.readFile(), { maxOutputLength: HISTORY_GZ_MAX_BYTES });
      return { handle: bufferReader(bytes), size: bytes.length, release: async () => undefined };
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** Reads from bytes in memory as a file handle reads from a file. */
function bufferReader(bytes: Buffer): ReadableAt {
  return {
    read: (async (buffer: Buffer, offset: number, length: number, position: number) => {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      if (n > 0) bytes.copy(buffer, offset, position, position + n);
      return { bytesRead: n, buffer };
    }) as ReadableAt['read'],
  };
}

/** A second fd on an open file (Linux's /proc/self/fd: the same file even when renamed or deleted). */
async function reopen(fd: number, key: string): Promise<OpenHistoryFile | null> {
  try {
    const handle = await open(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = await handle.stat({ bigint: true });
    if (identityKey(stats.dev, stats.ino) === key) return { handle, size: Number(stats.size), release: () => handle.close() };
    await handle.close();
  } catch {
    // not Linux, or closed meanwhile
  }
  return null;
}

/**
 * The file with identity `key` at one of `paths`, the content's path or its rotation names, if it still begins
 * as the content did. Symlinks are followed: the identity says it is a file a source already read.
 */
async function findByIdentity(paths: string[], content: Content, key: string): Promise<OpenHistoryFile | null> {
  const rotations = (await rotationsNewestFirst(content.homePath)).filter((r) => !r.gz).map((r) => r.path);
  for (const path of new Set([...paths, content.homePath, ...rotations])) {
    try {
      const { handle, stats } = await openLogFile(path);
      const size = Number(stats.size);
      if (identityKey(stats.dev, stats.ino) === key && sameStart(content.fingerprint, await readFingerprint(handle, size))) {
        return { handle, size, release: () => handle.close() };
      }
      await handle.close();
    } catch {
      // gone, or not a regular file
    }
  }
  return null;
}
