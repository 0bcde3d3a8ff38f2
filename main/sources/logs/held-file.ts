// One open file we read from, with everything that belongs to the file rather than to its path: the fd,
// its identity, our offset in it, its unfinished line, and the content it holds now. A source holds one as
// its current file and keeps rotated-away ones for a grace period. A file renamed to another followed name
// is held there too, with its own fd, read only once this one's content ends (see FileFollower).
import { watch, type BigIntStats, type FSWatcher } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { FINGERPRINT_BYTES } from './limits';
import { LineSplitter } from './line-splitter';
import type { ReadBufferPool } from './read-buffer-pool';

/**
 * What a file holds from its first byte: it ends when the file is truncated, rewritten, or closed. A copy of
 * it (copytruncate) is recognised by its first bytes and read on only from where this content ended.
 */
export interface Content {
  /** The first bytes (up to FINGERPRINT_BYTES); grows while the file is shorter than that. */
  fingerprint: Buffer;
  /** Bytes of it that were read when it ended, counting what was recovered from a copy; null while it lasts. */
  endOffset: number | null;
}

export function newContent(fingerprint: Buffer): Content {
  return { fingerprint, endOffset: null };
}

/** The source that reads the file; the fs watch wakes it. */
export interface FileOwner {
  readonly path: string;
  check(): Promise<void>;
}

export class HeldFile {
  offset: number;
  content: Content;
  /** A copy of another content that still lasts: nothing of it is read until that one ends. */
  copyOf: Content | null = null;
  /** When bytes were last read (or the file was rotated away): its grace period counts from here. */
  lastDataAt = Date.now();
  /** Reading started at its last lines rather than its start (they are history, not activity). */
  backfilled = false;
  /** Size and mtime when it was last read to its end: the same again means there is nothing to do. */
  private seenSize = -1n;
  private seenMtimeNs = -1n;
  readonly splitter: LineSplitter;
  private watcher: FSWatcher | null = null;

  constructor(
    readonly handle: FileHandle,
    readonly dev: bigint,
    readonly ino: bigint,
    /** Birth time in ns, 0n where the file system does not keep one. */
    readonly birthNs: bigint,
    readonly owner: FileOwner,
    options: { offset: number; content: Content; maxLineBytes: number },
  ) {
    this.offset = options.offset;
    this.content = options.content;
    this.splitter = new LineSplitter(options.maxLineBytes);
  }

  remember(stats: BigIntStats): void {
    this.seenSize = stats.size;
    this.seenMtimeNs = stats.mtimeNs;
  }

  unchangedSince(stats: BigIntStats): boolean {
    return stats.size === this.seenSize && stats.mtimeNs === this.seenMtimeNs;
  }

  /** Reads from `offset` to EOF in chunks of the pool's buffer size, handing each chunk on as it comes. */
  async readToEnd(pool: ReadBufferPool, onBytes: (chunk: Buffer) => void): Promise<void> {
    const buffer = pool.acquire();
    try {
      for (;;) {
        const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.extendFingerprint(buffer.subarray(0, bytesRead), this.offset);
        this.offset += bytesRead;
        this.lastDataAt = Date.now();
        onBytes(buffer.subarray(0, bytesRead));
        if (bytesRead < buffer.length) break; // at EOF for now; the next event or tick reads on
      }
    } finally {
      pool.release(buffer);
    }
  }

  /** Grows the content's print with bytes just read at `at`, while it is shorter than FINGERPRINT_BYTES. */
  private extendFingerprint(bytes: Buffer, at: number): void {
    const print = this.content.fingerprint;
    if (at > print.length || print.length >= FINGERPRINT_BYTES) return;
    const more = bytes.subarray(print.length - at, FINGERPRINT_BYTES - at);
    if (more.length > 0) this.content.fingerprint = Buffer.concat([print, more]);
  }

  /**
   * Wakes the owner on every write to this file. chokidar sends at most one `change` per file per 50 ms and
   * drops the trailing one, which would hold a line back until the next write or the safety tick. inotify
   * follows the inode, so a file renamed away still wakes its owner. A hint only: when no watch can be had
   * (inotify's limit), chokidar and the tick still cover the file.
   */
  watchWrites(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.owner.path, { persistent: false }, () => void this.owner.check());
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = null;
    }
  }

  unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  async close(): Promise<void> {
    this.unwatch();
    await this.handle.close().catch(() => undefined);
  }
}
