// One open file, keyed by its identity (device + inode): the fd, and the content it carries now. The registry
// holds one per identity whatever paths name it, so a file renamed from one followed name to another, or
// named by two (a hard link, a symlink), is read once. Sources that see it at their path, or keep it for a
// grace period after it left, are its holders; the lines go to its content's owner.
import { fstatSync, readSync, watch, type BigIntStats, type FSWatcher } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Content } from './content';
import { readFingerprint } from './fingerprint';
import { INLINE_READ_BYTES } from './limits';
import { isOnLocalDisk } from './local-file-system';
import type { ReadBufferPool } from './read-buffer-pool';

/** A source holding the file: a write to the file, or a rename or delete of it, wakes it. */
export interface ReaderHolder {
  /** Looks at its path (the file may have left it, or been replaced there). */
  check(): Promise<void>;
  /** The file's bytes changed (a write, a truncation) or its metadata did (an unlink, a chmod). */
  readWrites(): Promise<void>;
}

export function identityKey(dev: bigint, ino: bigint): string {
  return `${dev}:${ino}`;
}

export class FileReader {
  readonly key: string;
  /**
   * What it holds. Null while it was empty when found at a rotation name: logrotate creates a copy empty and
   * then fills it, so what it carries is only known once it has bytes.
   */
  content: Content | null = null;
  readonly holders = new Set<ReaderHolder>();
  /** Size and mtime when it was last read to its end: the same again means there is nothing to do. */
  private seenSize = -1n;
  private seenMtimeNs = -1n;
  private watcher: FSWatcher | null = null;
  /** On a local disk, and watched: a write may be read at once (see readInline). */
  private local = false;
  private closed = false;

  constructor(
    readonly handle: FileHandle,
    readonly dev: bigint,
    readonly ino: bigint,
    /** Birth time in ns, 0n where the file system does not keep one. */
    readonly birthNs: bigint,
    /** The path it was found at: a copy is only ever found at a rotation name. */
    readonly foundAt: string,
  ) {
    this.key = identityKey(dev, ino);
  }

  /** It is the file its content was first read from (not a copy carrying it). */
  get isOrigin(): boolean {
    return this.content?.origin === this.key;
  }

  remember(stats: BigIntStats): void {
    this.seenSize = stats.size;
    this.seenMtimeNs = stats.mtimeNs;
  }

  unchangedSince(stats: BigIntStats): boolean {
    return stats.size === this.seenSize && stats.mtimeNs === this.seenMtimeNs;
  }

  /**
   * Reads its content on from where it was read to, to EOF, in pool-sized chunks handed on as they come.
   * In the file its content began in, each chunk is handed on only once the file's first bytes were seen to
   * be still the content's after it was read: a truncation (copytruncate) and new writes past our position
   * can land between a look and its read, and the bytes read would then be of the new content, from its
   * middle. `'rewritten'` then, with nothing of that chunk handed on.
   */
  async readToEnd(pool: ReadBufferPool, onBytes: (chunk: Buffer, at: number) => void): Promise<'read' | 'rewritten'> {
    const content = this.content;
    if (!content) return 'read';
    const verify = this.isOrigin;
    const buffer = pool.acquire();
    try {
      for (let first = true; ; first = false) {
        const at = content.readTo;
        const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, at);
        // With nothing read, only the first look checks (a file rewritten to the same size).
        if (verify && (bytesRead > 0 || first) && !(await this.stillStartsWith(content.fingerprint))) return 'rewritten';
        if (bytesRead === 0) break;
        content.extendFingerprint(buffer.subarray(0, bytesRead), at);
        content.readTo = at + bytesRead;
        content.lastDataAt = Date.now();
        onBytes(buffer.subarray(0, bytesRead), at);
        if (bytesRead < buffer.length) break; // at EOF for now; the next event or tick reads on
      }
    } finally {
      pool.release(buffer);
    }
    return 'read';
  }

  /** The file still begins with `print` (a file now shorter than it was truncated). */
  private async stillStartsWith(print: Buffer): Promise<boolean> {
    if (print.length === 0) return true;
    const now = await readFingerprint(this.handle, print.length);
    return now.length === print.length && now.equals(print);
  }

  /**
   * `readToEnd` for a file on a local disk that its own write woke, done at once and synchronously: what was
   * just written is in the page cache, so the read costs microseconds instead of two trips through libuv's
   * thread pool (the read, then the first bytes), each of which waits for whatever else the loop has to do
   * (0.2 ms or more at low rate). Up to INLINE_READ_BYTES from where its content was read to, the first bytes
   * checked after (as readToEnd does), then its size and links, and it is remembered as read to its end.
   * `'async'`: the rest is for readToEnd and a look, with nothing or only its whole first part handed on:
   * more to read, other first bytes, shorter than read to, unlinked, not its content's first file, not on a
   * local disk, or an error. Its caller makes sure no registry job runs meanwhile (ReaderRegistry.idle).
   */
  readInline(pool: ReadBufferPool, onBytes: (chunk: Buffer, at: number) => void): 'done' | 'async' {
    const content = this.content;
    if (!this.local || this.closed || !content || !this.isOrigin) return 'async';
    const buffer = pool.acquire();
    try {
      const at = content.readTo;
      const length = Math.min(INLINE_READ_BYTES, buffer.length);
      const bytesRead = readSync(this.handle.fd, buffer, 0, length, at);
      if (!this.stillStartsWithNow(content.fingerprint)) return 'async';
      if (bytesRead > 0) {
        content.extendFingerprint(buffer.subarray(0, bytesRead), at);
        content.readTo = at + bytesRead;
        content.lastDataAt = Date.now();
        onBytes(buffer.subarray(0, bytesRead), at);
        if (bytesRead === length) return 'async';
      }
      const stats = fstatSync(this.handle.fd, { bigint: true });
      if (this.isCutOrGone(stats)) return 'async';
      this.remember(stats);
      return 'done';
    } catch {
      return 'async';
    } finally {
      pool.release(buffer);
    }
  }

  /** By its fd's `stats`: unlinked, or shorter than its content was read to (cut), so a look must say what it is now. */
  isCutOrGone(stats: BigIntStats): boolean {
    return stats.nlink === 0n || Number(stats.size) < (this.content?.readTo ?? 0);
  }

  private stillStartsWithNow(print: Buffer): boolean {
    if (print.length === 0) return true;
    const now = Buffer.allocUnsafe(print.length);
    return readSync(this.handle.fd, now, 0, print.length, 0) === print.length && now.equals(print);
  }

  /**
   * Wakes its holders on every write. chokidar sends at most one `change` per file per 50 ms and drops the
   * trailing one, which would hold a line back until the next write or the safety tick; and it stats the
   * file before it tells, a millisecond after the write. inotify follows the inode, so a file renamed away
   * still wakes them. `change` (a write, a truncation, an unlink or a chmod: IN_MODIFY, IN_ATTRIB) lets a
   * holder read the fd at once; `rename` (the file moved or was deleted) asks it to look at its path. A hint
   * only: when no watch can be had (inotify's limit), chokidar and the tick still cover the file.
   */
  watchWrites(path: string): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(path, { persistent: false }, (event) => {
        for (const holder of this.holders) void (event === 'change' ? holder.readWrites() : holder.check());
      });
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = null;
      return;
    }
    void isOnLocalDisk(path).then((local) => (this.local = local && this.watcher !== null));
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
    // Woken by nothing of its own any more: a write is read in a look, as when it was never watched.
    this.local = false;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.local = false;
    this.unwatch();
    await this.handle.close().catch(() => undefined);
  }
}
