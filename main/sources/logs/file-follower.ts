// Follows one file path: holds an fd and its own byte offset, reads to EOF whenever asked, and survives
// rotation (rename, copytruncate), truncation, rewrites, deletion and permission errors. Every fs error
// becomes the source's state, never an exception out of a callback.
//
// It never trusts why it was asked to look: each check compares what is at the path (device+inode, size,
// first bytes) with what it holds, and works out what happened from that alone:
// - another file at the path (rename rotation, delete+create, a swapped symlink): the old one is kept and
//   read for a grace period, since its writer may still append to it, and the new one is read from its start
//   (a file found under a --dir only when its owner says where the path now leads may be read);
// - the same file, shorter than our offset or with other first bytes (truncated, copytruncate, rewritten):
//   the bytes we had not read yet are recovered from the rotated copy beside it, then it is read from 0;
// - a file that another followed name still holds (app.log renamed to app.log.1): that name stays its reader
//   until its grace period ends, and looks first whenever a new file shows up at one of its rotation names,
//   so every line written to app.log shows under app.log whichever source looks first; the new name then
//   reads on from where it was read to. A rotated copy waits the same way.
import { realpath, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import type { LogLine, SourceInfo, SourceState } from '../../../protocol/events';
import { findBackfillStart } from './backfill-start';
import type { FileRegistry } from './file-registry';
import { readFingerprint, sameStart } from './fingerprint';
import { HeldFile, newContent, type Content, type FileOwner } from './held-file';
import { detectLevel } from './level';
import { BIRTH_CLOCK_SLACK_MS, ROTATED_FILES_KEPT } from './limits';
import { NotRegularFileError, notRegularMessage, openLogFile } from './open-log-file';
import type { OpenedLogFile } from './open-log-file';
import type { ReadBufferPool } from './read-buffer-pool';
import { findRotatedCopy, findSkippedRotations, readRange } from './rotated-siblings';
import { SourceStats } from './source-stats';
import { parseLineTimestamp } from './timestamp';

export interface FollowerEvents {
  /** Lines of one read chunk, in order. */
  lines(follower: FileFollower, lines: LogLine[]): void;
  /** State, error, size or line count changed. */
  changed(follower: FileFollower): void;
}

export interface FollowerOptions {
  /** A file rotated away is read until it has been quiet this long (LOG_TIMINGS.rotatedGraceMs). */
  rotatedGraceMs: number;
  id: string;
  path: string;
  name: string;
  maxLineBytes: number;
  /** An unfinished last line is shown once the file has been quiet this long. */
  partialLineMs: number;
  backfill: number;
  /**
   * Where the first read of the file starts: at its last `backfill` lines, or at its beginning (a file created
   * while we run). Every later file at this path (after rotation or deletion) is new, so it is read from 0.
   */
  firstRead: 'backfill' | 'beginning';
  /** The last seq given out for this id earlier in this run, so seq never repeats when a path is followed again. */
  lastSeq?: number;
  pool: ReadBufferPool;
  registry: FileRegistry;
  events: FollowerEvents;
  /** Watch held files for writes (off when polling: network file systems send no such events). */
  watchWrites: boolean;
  /**
   * Judges where the path leads before each open of the file there: null when it may be read, else why not,
   * which becomes the source's error (a symlink under a --dir retargeted outside it). The real path judged is
   * the one opened. Absent: the path is opened wherever it leads (a --file, as `tail -F`).
   */
  mayRead?: (realPath: string) => string | null;
}

const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR']);
const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);

export class FileFollower implements FileOwner {
  readonly id: string;
  readonly path: string;
  readonly name: string;
  private state: SourceState = 'waiting';
  private error: string | undefined;
  private size = 0;
  private seq: number;
  private readonly stats = new SourceStats();
  /** When the path was first seen missing (null while it exists): a caller may give up on it after a while. */
  missingSince: number | null = null;

  private readonly options: FollowerOptions;
  /** The file at the path. */
  private current: HeldFile | null = null;
  /** Files rotated away from the path, oldest first, read until their grace period ends. */
  private readonly retired: HeldFile[] = [];
  /**
   * While no file is at the path: files born after this (ns) were not looked for yet among the rotated names
   * (a file created and rotated away again before we looked). 0n when there is nothing to look for.
   */
  private skippedAfterNs = 0n;
  private firstRead: 'backfill' | 'beginning';
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
  }

  info(): SourceInfo {
    const info: SourceInfo = {
      id: this.id,
      path: this.path,
      name: this.name,
      state: this.state,
      size: this.size,
      lines: this.seq,
      ...this.stats.snapshot(),
    };
    if (this.error !== undefined) info.error = this.error;
    return info;
  }

  /** Works out lines/s and errors/s since the last call (about once a second); true when they changed. */
  sampleRates(now: number): boolean {
    return this.stats.sample(now);
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

  /** Stops following and closes every fd. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    const files = [this.current, ...this.retired.splice(0)];
    this.current = null;
    await Promise.all(files.map((file) => file && this.closeFile(file)));
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
    // Taken before the look: a file born after it may have come and gone unseen (see skippedAfterNs). Less
    // the file system's coarse clock, which can stamp a birth a little before the wall clock says.
    const lookedAtNs = BigInt(Date.now() - BIRTH_CLOCK_SLACK_MS) * 1_000_000n;
    let stats: BigIntStats | null = null;
    let statError: unknown = null;
    try {
      stats = await stat(this.path, { bigint: true });
    } catch (err) {
      statError = err;
    }
    const here = stats?.isFile() ? stats : null;
    const current = this.current;
    if (current && !(here && here.dev === current.dev && here.ino === current.ino)) {
      this.retire(current);
      // It may have been truncated (copytruncate) and written again before it left the path.
      if (!current.copyOf) await this.startOverIfRewritten(current, Number((await current.handle.stat()).size));
      // Born before the file now at the path, or (none there) up to now, whatever the clock's coarseness.
      await this.retireSkipped(current.birthNs, here ? here.birthtimeNs : BigInt(Date.now() + BIRTH_CLOCK_SLACK_MS) * 1_000_000n);
      // With no file at the path, files may still come and be rotated away before we look again. The two
      // windows overlap: a file found twice is held already, or resumes where it was read to (its content ended).
      this.skippedAfterNs = here ? 0n : lookedAtNs;
    } else if (!current && here && this.skippedAfterNs !== 0n) {
      // The path is back after a gap: files born during it and rotated away already are read first.
      await this.retireSkipped(this.skippedAfterNs, here.birthtimeNs);
      this.skippedAfterNs = 0n;
    }
    // Older files first: what was written before the rotation comes before what was written after it.
    await this.readRetired();
    if (statError) {
      // Deleted, or renamed away and not yet replaced: wait for the path to come back.
      if (MISSING_CODES.has(codeOf(statError))) return this.markMissing();
      return this.fail(statError);
    }
    // A FIFO, socket or device is never opened (a FIFO's open would wait for a writer).
    if (!here) return this.setState('error', notRegularMessage(this.path, stats!));
    const file = this.current ?? (await this.openCurrent(here));
    if (file) await this.readCurrent(file, here);
  }

  /** Reads the file at the path, first telling a truncation or a rewrite from growth. */
  private async readCurrent(file: HeldFile, here: BigIntStats): Promise<void> {
    const size = Number(here.size);
    if (size === file.offset && file.unchangedSince(here) && !file.copyOf) {
      // Nothing written since we read it all (the safety tick's usual case): no read, no fingerprint.
      this.setLive(size);
      return this.flushIfQuiet(file);
    }
    if (!this.copyReadable(file, size)) return this.setLive(size);
    await this.startOverIfRewritten(file, size);
    this.setLive(Math.max(size, file.offset));
    await this.readHeld(file);
    file.remember(here);
    if (file.backfilled) {
      // History is not activity: lines/s counts from here.
      file.backfilled = false;
      this.stats.restartRates(Date.now());
    }
    this.flushIfQuiet(file);
  }

  /** Shows the unfinished last line once the file has been quiet for `partialLineMs`. */
  private flushIfQuiet(file: HeldFile): void {
    if (file.splitter.hasPartial && Date.now() - file.lastDataAt >= this.options.partialLineMs) this.flushPartial(file);
  }

  private setLive(size: number): void {
    this.size = size;
    this.missingSince = null;
    // Live before lines are handed on, so a listener sees the state of the source they belong to.
    this.setState('live');
  }

  /**
   * False while `file` is a rotated copy of a content still being read elsewhere: its lines are shown there.
   * Once that content ended, the copy is read on from where it ended.
   */
  private copyReadable(file: HeldFile, size: number): boolean {
    if (!file.copyOf) return true;
    const { endOffset } = file.copyOf;
    if (endOffset === null) return false;
    file.offset = Math.max(file.offset, Math.min(size, endOffset));
    file.copyOf = null;
    return true;
  }

  /** Reads the file from 0 again when it is shorter than our offset, or its first bytes are not the ones we know. */
  private async startOverIfRewritten(file: HeldFile, size: number): Promise<void> {
    if (size < file.offset || !(await this.sameStart(file, size))) await this.startOver(file, size);
  }

  /**
   * The file's first bytes are still the ones we know. The print only ever holds bytes we read (or that were
   * there when the content began): bytes taken from a later look could belong to a rewrite we never saw.
   */
  private async sameStart(file: HeldFile, size: number): Promise<boolean> {
    return sameStart(file.content.fingerprint, await readFingerprint(file.handle, size));
  }

  /**
   * The file was truncated or rewritten in place. What it held past our offset is lost from it, but a
   * copytruncate put it in a copy beside it: read it from there. Then the file is read again from 0.
   */
  private async startOver(file: HeldFile, size: number): Promise<void> {
    const readTo = file.offset;
    let endOffset = readTo;
    // Not one of our own rotated-away files: its first bytes may match, but it is another content.
    const ours = (dev: bigint, ino: bigint) => this.retired.some((f) => f.dev === dev && f.ino === ino);
    const copy = await findRotatedCopy(this.path, file.content.fingerprint, readTo, ours);
    if (copy) {
      try {
        await readRange(copy.handle, readTo, copy.size, this.options.pool, (chunk) => this.take(file, chunk));
        endOffset = copy.size;
      } finally {
        await copy.handle.close().catch(() => undefined);
      }
    }
    this.flushPartial(file);
    this.options.registry.end(file.content, endOffset, this.path);
    file.content = newContent(await readFingerprint(file.handle, size));
    file.offset = 0;
    file.splitter.reset();
  }

  /**
   * Opens the file at the path (or takes back one of ours renamed back to it); null on failure. A file
   * another source holds was rotated here from there (see `rotatedHere`).
   */
  private async openCurrent(here: BigIntStats): Promise<HeldFile | null> {
    // A new file at app.log.1 was most likely written at app.log: app.log's source looks first, so it can
    // claim the file (renamed away, or rotated past before it looked) and its lines show where they were written.
    await Promise.all(this.options.registry.ownersRotatedTo(this.path).map((owner) => owner.check()));
    const known = this.options.registry.heldWith(here.dev, here.ino);
    if (known?.owner === this && this.takeBack(known)) return this.becomeCurrent(known);
    let opened: OpenedLogFile | null;
    try {
      opened = await this.openPath();
    } catch (err) {
      if (MISSING_CODES.has(codeOf(err))) this.markMissing();
      else this.fail(err);
      return null;
    }
    if (!opened) return null;
    const { handle, stats } = opened;
    try {
      return this.becomeCurrent(await this.hold(handle, stats, this.path, this.firstRead));
    } catch (err) {
      await handle.close().catch(() => undefined);
      this.fail(err);
      return null;
    }
  }

  /**
   * Opens the file the path names now; null (and state `error`) when `mayRead` refuses where it leads. The
   * resolved path is opened, not followed again, so a symlink swapped in between cannot lead elsewhere.
   */
  private async openPath(): Promise<OpenedLogFile | null> {
    const mayRead = this.options.mayRead;
    if (!mayRead) return openLogFile(this.path);
    const real = await realpath(this.path);
    const refused = mayRead(real);
    if (refused !== null) {
      this.size = 0;
      this.setState('error', refused);
      return null;
    }
    return openLogFile(real, { noFollow: true });
  }

  /** One of our rotated-away files is back at the path (renamed back): it is current again. */
  private takeBack(file: HeldFile): boolean {
    const i = this.retired.indexOf(file);
    if (i !== -1) this.retired.splice(i, 1);
    return i !== -1;
  }

  /**
   * Files that were at the path after the one we held and were rotated away before we looked (a writer
   * rotating faster than we look): read whole, after the one we held and before the one there now.
   */
  private async retireSkipped(bornAfterNs: bigint, bornBeforeNs: bigint): Promise<void> {
    for (const skipped of await findSkippedRotations(this.path, bornAfterNs, bornBeforeNs)) {
      // Held by another name's source already (it was found there), or gone: that is where it is read.
      if (this.options.registry.heldWith(skipped.dev, skipped.ino)) continue;
      let handle: FileHandle | null = null;
      try {
        let stats: BigIntStats;
        // A rotation is never a symlink: one swapped in since it was listed is not followed.
        ({ handle, stats } = await openLogFile(skipped.path, { noFollow: true }));
        const file = await this.hold(handle, stats, skipped.path, 'beginning');
        if (file.dev !== skipped.dev || file.ino !== skipped.ino) {
          await this.closeFile(file); // renamed again meanwhile; what is there now is another file
          continue;
        }
        file.lastDataAt = Date.now();
        this.retired.push(file);
      } catch {
        await handle?.close().catch(() => undefined);
      }
    }
  }

  /**
   * A file newly opened at `at` (our path, or a rotation of it), as a HeldFile: where reading starts. `stats`
   * are of the opened fd: the identity of what we opened, not of what the path named a moment earlier (a
   * rotation may have moved another file there between the two).
   */
  private async hold(handle: FileHandle, stats: BigIntStats, at: string, firstRead: 'backfill' | 'beginning'): Promise<HeldFile> {
    const size = Number(stats.size);
    const fingerprint = await readFingerprint(handle, size);
    const origin = (await this.rotatedHere(stats)) ?? this.options.registry.originOf(at, fingerprint, stats.dev, stats.ino);
    let offset = 0;
    let midLine = false;
    if (origin && origin.content.endOffset !== null) {
      offset = Math.min(size, origin.content.endOffset);
    } else if (!origin && firstRead === 'backfill') {
      ({ offset, midLine } = await findBackfillStart(handle, size, this.options.backfill));
    }
    const file = new HeldFile(handle, stats.dev, stats.ino, stats.birthtimeNs, this, {
      offset,
      content: newContent(fingerprint),
      maxLineBytes: this.options.maxLineBytes,
    });
    if (origin && origin.content.endOffset === null) file.copyOf = origin.content;
    if (midLine) file.splitter.discardUntilNewline();
    file.backfilled = offset > 0 && !origin;
    this.options.registry.add(file);
    return file;
  }

  /**
   * The same file, held by the source it was renamed from (app.log's, for a file now at app.log.1): read
   * here only from where that source stops. Not while that source's path still names it (a hard link, a
   * symlink to it): then each name reads it.
   */
  private async rotatedHere(stats: BigIntStats): Promise<{ content: Content } | undefined> {
    const holder = this.options.registry.heldWith(stats.dev, stats.ino);
    if (!holder || holder.owner === this || (await names(holder.owner.path, holder))) return undefined;
    return { content: holder.content };
  }

  private becomeCurrent(file: HeldFile): HeldFile | null {
    if (this.closed) {
      void this.closeFile(file);
      return null;
    }
    this.current = file;
    this.firstRead = 'beginning';
    if (this.options.watchWrites) file.watchWrites();
    return file;
  }

  /** The file left the path: keep reading it for a grace period, as its writer may not have noticed yet. */
  private retire(file: HeldFile): void {
    this.current = null;
    file.lastDataAt = Date.now();
    this.retired.push(file);
  }

  /** Reads every rotated-away file to EOF; finishes those past their grace period (or past the count kept). */
  private async readRetired(): Promise<void> {
    for (const file of [...this.retired]) {
      // Only a rotated copy needs its size (to start where its original ended): no fstat per write otherwise.
      if (!file.copyOf || this.copyReadable(file, Number((await file.handle.stat()).size))) await this.readHeld(file);
      const expired = Date.now() - file.lastDataAt >= this.options.rotatedGraceMs;
      if (expired || this.retired.length > ROTATED_FILES_KEPT || this.closed) {
        // Its writer has moved on: its unfinished last line will never be finished.
        this.flushPartial(file);
        this.retired.splice(this.retired.indexOf(file), 1);
        await this.closeFile(file);
      }
    }
  }

  private async closeFile(file: HeldFile): Promise<void> {
    this.options.registry.remove(file);
    await file.close();
  }

  private async readHeld(file: HeldFile): Promise<void> {
    await file.readToEnd(this.options.pool, (chunk) => this.take(file, chunk));
  }

  /** Splits a chunk read from `file` into lines and hands them on. */
  private take(file: HeldFile, chunk: Buffer): void {
    this.batchTs = Date.now();
    this.stats.countBytes(chunk.length);
    file.splitter.push(chunk, this.collect);
    this.emitBatch();
  }

  private flushPartial(file: HeldFile): void {
    this.batchTs = Date.now();
    file.splitter.flushPartial(this.collect);
    this.emitBatch();
  }

  private readonly collect = (text: string, cut: boolean): void => {
    // The line's own time when it has one, so a merged view and the charts put it where it happened.
    const line: LogLine = { seq: ++this.seq, ts: parseLineTimestamp(text, this.batchTs) ?? this.batchTs, text };
    const level = detectLevel(text);
    if (level) line.level = level;
    if (cut) line.cut = true;
    this.batch.push(line);
  };

  private emitBatch(): void {
    if (this.batch.length === 0) return;
    const lines = this.batch;
    this.batch = [];
    this.stats.countLines(lines, this.batchTs);
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

/** `path` names `file` now (false when it names another file or nothing). */
async function names(path: string, file: HeldFile): Promise<boolean> {
  try {
    const stats = await stat(path, { bigint: true });
    return stats.dev === file.dev && stats.ino === file.ino;
  } catch {
    return false;
  }
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | null)?.code ?? '';
}

/** An fs error in words a user can act on, naming the file. */
function describeError(path: string, err: unknown): string {
  const code = codeOf(err);
  if (PERMISSION_CODES.has(code)) return `permission denied: cannot read ${path} (${code})`;
  if (code === 'EMFILE' || code === 'ENFILE') return `too many open files: cannot open ${path} (${code}); raise the limit (ulimit -n) or follow fewer files`;
  if (code === 'EISDIR') return `${path} is not a regular file`;
  if (err instanceof NotRegularFileError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return `cannot read ${path}: ${message}`;
}
