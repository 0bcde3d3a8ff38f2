// One open file, keyed by its identity (device + inode): the fd, and the content it carries now. The registry
// holds one per identity whatever paths name it, so a file renamed from one followed name to another, or
// named by two (a hard link, a symlink), is read once. Sources that see it at their path, or keep it for a
// grace period after it left, are its holders; the lines go to its content's owner.
import { watch, type BigIntStats, type FSWatcher } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Content } from './content';
import { readFingerprint } from './fingerprint';
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
    }
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  async close(): Promise<void> {
    this.unwatch();
    await this.handle.close().catch(() => undefined);
  }
}
