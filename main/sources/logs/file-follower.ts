// Follows one file path: holds an fd and its own byte offset, reads to EOF whenever asked, and survives
// rotation (rename or copytruncate), deletion and permission errors. Every fs error becomes the source's
// state, never an exception out of a callback.
//
// It never trusts why it was asked to look: each check compares the path's identity (dev+ino) and size
// with what it holds, and works out what happened from that alone.
import { watch, type FSWatcher } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { LogLine, SourceInfo, SourceState } from '../../../protocol/events';
import { findBackfillStart } from './backfill-start';
import { detectLevel } from './level';
import { IDLE_FLUSH_MS } from './limits';
import { LineSplitter } from './line-splitter';
import type { ReadBufferPool } from './read-buffer-pool';

export interface FollowerEvents {
  /** Lines of one read chunk, in order. */
  lines(follower: FileFollower, lines: LogLine[]): void;
  /** State, error, size or line count changed. */
  changed(follower: FileFollower): void;
}

export interface FollowerOptions {
  id: string;
  path: string;
  name: string;
  maxLineBytes: number;
  backfill: number;
  /**
   * Where the first read of the file starts: at its last `backfill` lines, or at its beginning (a file created
   * while we run). Every later file at this path (after rotation or deletion) is new, so it is read from 0.
   */
  firstRead: 'backfill' | 'beginning';
  /** The last seq given out for this id earlier in this run, so seq never repeats when a path is followed again. */
  lastSeq?: number;
  pool: ReadBufferPool;
  events: FollowerEvents;
  /** Watch the held file for writes (off when polling: network file systems send no such events). */
  watchWrites: boolean;
}

const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR']);
const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);

export class FileFollower {
  readonly id: string;
  readonly path: string;
  readonly name: string;
  private state: SourceState = 'waiting';
  private error: string | undefined;
  private size = 0;
  private seq: number;
  /** When the path was first seen missing (null while it exists): a caller may give up on it after a while. */
  missingSince: number | null = null;

  private readonly options: FollowerOptions;
  private readonly splitter: LineSplitter;
  private handle: FileHandle | null = null;
  private watcher: FSWatcher | null = null;
  private dev = 0n;
  private ino = 0n;
  private offset = 0;
  private firstRead: 'backfill' | 'beginning';
  private lastDataAt = 0;
  private running: Promise<void> | null = null;
  private rerun = false;
  private closed = false;
  /** The lines of the chunk being split, and their read time: filled by `collect`. */
  private batch: LogLine[] = [];
  private batchTs = 0;

  constructor(options: FollowerOptions) {
    this.options = options;
    this.id = options.id;
    this.path = options.path;
    this.name = options.name;
    this.seq = options.lastSeq ?? 0;
    this.firstRead = options.firstRead;
    this.splitter = new LineSplitter(options.maxLineBytes);
  }

  info(): SourceInfo {
    const info: SourceInfo = { id: this.id, path: this.path, name: this.name, state: this.state, size: this.size, lines: this.seq };
    if (this.error !== undefined) info.error = this.error;
    return info;
  }

  /** The last seq given out. */
  get lastSeq(): number {
    return this.seq;
  }

  get currentState(): SourceState {
    return this.state;
  }

  /**
   * Looks at the file now and reads whatever is new. Calls made while a check runs are merged into one
   * more check after it; the promise settles when the file has been read to EOF. Never rejects.
   */
  check(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.runChecks();
    return this.running;
  }

  /** Stops following and closes the fd. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.unwatch();
    await this.running;
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private async runChecks(): Promise<void> {
    try {
      do {
        this.rerun = false;
        try {
          await this.checkOnce();
        } catch (err) {
          this.fail(err);
        }
      } while (this.rerun && !this.closed);
    } finally {
      this.running = null;
    }
  }

  private async checkOnce(): Promise<void> {
    let stats;
    try {
      stats = await stat(this.path, { bigint: true });
    } catch (err) {
      if (!MISSING_CODES.has(codeOf(err))) return this.fail(err);
      // Deleted, or renamed away and not yet replaced: finish the old file, then wait for the path to come back.
      await this.release();
      return this.markMissing();
    }
    if (!stats.isFile()) {
      await this.release();
      return this.setState('error', `${this.path} is not a regular file`);
    }
    // A different file at the path: rotated by rename (or deleted and recreated). Finish the old one first.
    if (this.handle && (stats.dev !== this.dev || stats.ino !== this.ino)) await this.release();
    if (!this.handle) {
      if (!(await this.openFile())) return;
    } else if (stats.size < BigInt(this.offset)) {
      // Truncated in place (copytruncate, `> file`): start over from the beginning.
      this.flushPartial();
      this.splitter.reset();
      this.offset = 0;
    }
    this.size = Number(stats.size);
    // Live before its lines are handed on, so a listener sees the state of the source they belong to.
    this.setState('live');
    await this.readToEnd();
    if (this.splitter.hasPartial && Date.now() - this.lastDataAt >= IDLE_FLUSH_MS) this.flushPartial();
  }

  /** Opens the file at the path; false when that failed (the state says why). */
  private async openFile(): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (err) {
      if (MISSING_CODES.has(codeOf(err))) this.markMissing();
      else this.fail(err);
      return false;
    }
    try {
      // The identity of what we opened, not of what the path named a moment earlier.
      const stats = await handle.stat({ bigint: true });
      this.dev = stats.dev;
      this.ino = stats.ino;
      this.splitter.reset();
      this.offset = 0;
      if (this.firstRead === 'backfill') {
        const start = await findBackfillStart(handle, Number(stats.size), this.options.backfill);
        this.offset = start.offset;
        if (start.midLine) this.splitter.discardUntilNewline();
      }
    } catch (err) {
      await handle.close().catch(() => undefined);
      this.fail(err);
      return false;
    }
    this.handle = handle;
    this.firstRead = 'beginning';
    this.missingSince = null;
    this.watchHeld();
    return true;
  }

  /**
   * Wakes a check on every write to the held file. chokidar sends at most one `change` per file per 50 ms
   * and drops the trailing one, which would hold a line back until the next write or the safety tick.
   * A hint only: if no watch can be had (inotify's limit), chokidar and the tick still cover the file.
   */
  private watchHeld(): void {
    this.unwatch();
    if (!this.options.watchWrites || this.closed) return;
    try {
      this.watcher = watch(this.path, { persistent: false }, () => void this.check());
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = null;
    }
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** Reads the held file to EOF, then closes it; its unfinished last line is given out, as the file is done. */
  private async release(): Promise<void> {
    if (!this.handle) return;
    try {
      await this.readToEnd();
      this.flushPartial();
    } finally {
      this.unwatch();
      const handle = this.handle;
      this.handle = null;
      await handle.close().catch(() => undefined);
    }
  }

  private async readToEnd(): Promise<void> {
    const handle = this.handle!;
    const buffer = this.options.pool.acquire();
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        if (this.offset > this.size) this.size = this.offset;
        this.lastDataAt = this.batchTs = Date.now();
        this.splitter.push(buffer.subarray(0, bytesRead), this.collect);
        this.emitBatch();
        if (bytesRead < buffer.length) break; // at EOF for now; the next event or tick reads on
      }
    } finally {
      this.options.pool.release(buffer);
    }
  }

  private flushPartial(): void {
    this.batchTs = Date.now();
    this.splitter.flushPartial(this.collect);
    this.emitBatch();
  }

  private readonly collect = (text: string, cut: boolean): void => {
    const line: LogLine = { seq: ++this.seq, ts: this.batchTs, text };
    const level = detectLevel(text);
    if (level) line.level = level;
    if (cut) line.cut = true;
    this.batch.push(line);
  };

  private emitBatch(): void {
    if (this.batch.length === 0) return;
    const lines = this.batch;
    this.batch = [];
    this.options.events.lines(this, lines);
  }

  private markMissing(): void {
    this.missingSince ??= Date.now();
    this.size = 0;
    // It was not there when we first looked, so when it appears it is a new file: read all of it.
    this.firstRead = 'beginning';
    this.setState('waiting');
  }

  private fail(err: unknown): void {
    this.setState('error', describeError(this.path, err));
  }

  private setState(state: SourceState, error?: string): void {
    if (state === this.state && error === this.error) return;
    this.state = state;
    this.error = error;
    this.options.events.changed(this);
  }
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | null)?.code ?? '';
}

/** An fs error in words a user can act on, naming the file. */
function describeError(path: string, err: unknown): string {
  const code = codeOf(err);
  if (PERMISSION_CODES.has(code)) return `permission denied: cannot read ${path} (${code})`;
  if (code === 'EISDIR') return `${path} is not a regular file`;
  const message = err instanceof Error ? err.message : String(err);
  return `cannot read ${path}: ${message}`;
}
