// One followed path, as a source: what its path names now, and the files it keeps reading after they left it.
// The files themselves are the registry's, one reader per identity (device + inode), and what they hold is a
// Content, read from one shared position: a path is only a view of them. So a file renamed to another
// followed name, named twice (a hard link, a symlink), or copied beside itself (copytruncate) is read once,
// and its lines show under one source, its content's owner: the first source that read it, while it still
// holds it. Every fs error becomes the source's state, never an exception out of a callback.
//
// It never trusts why it was asked to look: each look compares what is at the path (device+inode, size,
// first bytes) with what it holds, and works out what happened from that alone:
// - another file at the path (rename rotation, delete+create, a swapped symlink): the old one is kept and
//   read for a grace period, since its writer may still append to it, and the new one is read from its start
//   (a file found under a --dir only when its owner says where the path now leads may be read);
// - the same file, shorter than its content was read to, or with other first bytes (truncated,
//   copytruncate, rewritten): the bytes not read yet are read from a copy (one held, or one beside it), then
//   the file begins a new content, read from 0;
// - a new file at a rotation name of a followed path (app.log.1 of app.log): that path's source looks first,
//   so a file written at app.log and rotated before anyone looked shows under app.log; a copy of a content is
//   read on from where the content was read to, whichever file carries it.
import { realpath, stat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import type { LogLine, SourceInfo, SourceState } from '../../../protocol/events';
import type { ResumePoint } from '../../../protocol/host-streams';
import { findBackfillStart } from './backfill-start';
import { LineIndex } from './line-index';
import { lookBefore } from './time-before';
import { Content, type ContentOwner } from './content';
import { FileReader } from './file-reader';
import { readFingerprint, sameStart } from './fingerprint';
import { BIRTH_CLOCK_SLACK_MS, ENCODED_BATCH_BYTES, KERNEL_MISSES_PER_READ, LINES_HANDED_ON_AT, ROTATED_FILES_KEPT } from './limits';
import { NotRegularFileError, notRegularMessage, openLogFile } from './open-log-file';
import type { OpenedLogFile } from './open-log-file';
import type { ReadBufferPool } from './read-buffer-pool';
import type { PathLooker, ReaderRegistry } from './reader-registry';
import { findRotatedCopy, findSkippedRotations, readRange, rotationsOf, type Sibling, type SkippedFile } from './rotated-siblings';
import { SourceStats } from './source-stats';
import { parseLineTimestamp } from './timestamp';
import { lineOf, setEventHead } from './line-of';
import { FIRST_ERROR_LEVEL, KERNEL_LEVELS, type EncodedLines, type LineKernel } from './line-kernel';
import type { SearchedSource } from './source-search';

/**
 * Where a batch of lines ends in its file: the content's first file (`dev:ino`), its first bytes as known now,
 * and the byte after the batch's last line. Enough for an agent to go on from there in a later run. Also what
 * the splitter knew of the batch's texts.
 */
export interface LinesPlace {
  /** `dev:ino` of the file the content was first read from. */
  file: string;
  /** The content's first bytes (up to 1 KiB) as read so far. Not to be changed. */
  print: Buffer;
  /** The byte after the batch's last line. */
  end: number;
  /** Every text is plain (protocol/encode.ts PLAIN_TEXT): the hub writes its JSON by hand, in ASCII. */
  plain: boolean;
}


export interface PathViewEvents {
  /** Lines of one read chunk, in order, and where the last of them ends. */
  lines(view: PathView, lines: LogLine[], place: LinesPlace): void;
  /** The same, as the line kernel wrote them (only while `lineKernel` gives one). */
  encoded(view: PathView, lines: EncodedLines, place: LinesPlace): void;
  /** State, error, size or line count changed. */
  changed(view: PathView): void;
}

export interface PathViewOptions {
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
  /** Where an earlier run stopped (an agent's position): taken at the first open of a file at the path. */
  resume?: ResumePoint;
  /** Shown on its SourceInfo (an agent's host name). */
  host?: string;
  pool: ReadBufferPool;
  registry: ReaderRegistry;
  events: PathViewEvents;
  /** Watch held files for writes (off when polling: network file systems send no such events). */
  watchWrites: boolean;
  /**
   * The line kernel to write the lines it takes with (events.encoded), asked at each read; absent, or null
   * where WebAssembly cannot run, every line comes as an object (events.lines).
   */
  lineKernel?: () => LineKernel | null;
  /**
   * Judges where the path leads before each open of the file there: null when it may be read, else why not,
   * which becomes the source's error (a symlink under a --dir retargeted outside it). The real path judged is
   * the one opened. Absent: the path is opened wherever it leads (a --file, as `tail -F`).
   */
  mayRead?: (realPath: string) => string | null;
}

/** A file that left the path, read until it has been quiet for the grace period. */
interface Retired {
  reader: FileReader;
  quietSince: number;
}

const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR']);
const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);

export class PathView implements ContentOwner, PathLooker {
  readonly id: string;
  readonly path: string;
  readonly name: string;
  private state: SourceState = 'waiting';
  private error: string | undefined;
  private size = 0;
  private seq: number;
  private readonly stats = new SourceStats();
  /** Where its lines are on disk, for older lines and gaps (see line-history.ts). */
  readonly lineIndex = new LineIndex();
  /** When the path was first seen missing (null while it exists): a caller may give up on it after a while. */
  missingSince: number | null = null;

  private readonly options: PathViewOptions;
  private readonly registry: ReaderRegistry;
  /** The file at the path. */
  private current: FileReader | null = null;
  /** Files rotated away from the path, oldest first, read until their grace period ends. */
  private readonly retired: Retired[] = [];
  /**
   * While no file is at the path: files born after this (ns) were not looked for yet among the rotated names
   * (a file created and rotated away again before we looked). 0n when there is nothing to look for.
   */
  private skippedAfterNs = 0n;
  private firstRead: 'backfill' | 'beginning';
  /** A file was at the path in this run: missing now, it is `deleted`, not `waiting`. */
  private hadFile = false;
  /** A look asked for and not started yet: later asks join it. */
  private queued: Promise<void> | null = null;
  /** The same for a read of the file held (see `readWrites`). */
  private queuedRead: Promise<void> | null = null;
  /** A look runs (guards the look another source runs inline, see `lookNow`). */
  private looking = false;
  private closed = false;
  /** The content whose bytes are being split into lines (`collect` runs inside `take`). */
  private splitting: Content | null = null;
  /** The lines of the chunk being split, and their read time: filled by `collect`. */
  private batch: LogLine[] = [];
  private batchTs = 0;
  /** Where the chunk being split starts in its content (`collect` hands lines on at places in it). */
  private chunkAt = 0;
  /** The lines collected by the splitter pushes of a read the line kernel shares, so far, are all plain. */
  private earlierPushesPlain = true;
  /** A stored position not looked at yet (see PathViewOptions.resume). */
  private resume: ResumePoint | null;

  constructor(options: PathViewOptions) {
    this.options = options;
    this.registry = options.registry;
    this.id = options.id;
    this.path = options.path;
    this.name = options.name;
    this.resume = options.resume ?? null;
    this.seq = options.resume ? Math.max(options.resume.seq, options.lastSeq ?? 0) : (options.lastSeq ?? 0);
    this.firstRead = options.firstRead;
    this.registry.register(this);
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
    if (this.options.host !== undefined) info.host = this.options.host;
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
   * Looks at the path now and reads whatever is new, after the looks asked for before. Calls made before this
   * look starts join it; the promise settles when the files were read to EOF. Never rejects.
   */
  check(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.queued ??= this.registry.serially(async () => {
      this.queued = null;
      await this.lookNow();
    });
    return this.queued;
  }

  /**
   * A held file changed (its inode's watch, see FileReader.watchWrites): when it is the file at the path and
   * no other is held, its fd is read at once (synchronously, on a local disk while nothing else reads: see
   * readInline), with no look at the path first; a rotation or a replacement at
   * the path is left to the path's events (its `rename`, chokidar's) and the safety tick. The read itself
   * finds a truncation or a rewrite (first bytes, then size), and one found, or an unlink, makes it a look.
   * Otherwise a look, as `check`. Calls made before the read starts join it. Never rejects.
   */
  readWrites(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.queued) return this.queued; // a look to come reads it too
    if (this.readInline()) return Promise.resolve();
    this.queuedRead ??= this.registry.serially(async () => {
      this.queuedRead = null;
      await this.readHeldNow();
    });
    return this.queuedRead;
  }

  /**
   * `readWrites`' read done at once, synchronously, while no job reads (see FileReader.readInline): true when
   * it read the file to its end; false when a job must (the same conditions as readHeldNow's, and then some).
   */
  private readInline(): boolean {
    const reader = this.current;
    const content = reader?.content;
    if (!reader || !content || content.backfilled || this.queuedRead || this.looking || !this.registry.idle) return false;
    if (this.retired.length > 0 || this.state !== 'live') return false;
    const owner = this.ownerOf(content);
    if (reader.readInline(this.options.pool, (chunk, at) => owner.take(content, chunk, at)) === 'async') return false;
    this.setLive(content.readTo);
    return true;
  }

  /** `readWrites`' read, inside a registry job. */
  private async readHeldNow(): Promise<void> {
    const reader = this.current;
    if (this.closed || this.looking) return;
    // Only a file growing where it is: a rotated one is read in a look, before the one now at the path.
    if (!reader?.isOrigin || this.retired.length > 0 || this.state !== 'live') return this.lookNow();
    this.looking = true;
    try {
      await this.readHeld(reader);
      // After its lines are out: truncated to a size that kept its first bytes, or unlinked, it needs the look.
      const stats = await reader.handle.stat({ bigint: true });
      const content = reader.content;
      if (!content || !reader.isOrigin || reader.isCutOrGone(stats)) return await this.look();
      this.setLive(Number(stats.size));
      reader.remember(stats);
      this.flushIfQuiet(content);
    } catch (err) {
      this.fail(err);
    } finally {
      this.looking = false;
    }
  }

  /**
   * The safety tick's look: one stat, outside the queue, and a look only when it shows something to do. An
   * idle file (the usual case) then costs one stat, made at once with every other file's, and no turn in the
   * queue of looks.
   */
  async checkIfChanged(): Promise<void> {
    if (this.closed || this.queued) return;
    if (!this.idle()) return this.check();
    let stats: BigIntStats;
    try {
      stats = await stat(this.path, { bigint: true });
    } catch {
      return this.check();
    }
    if (!this.unchangedAt(stats)) return this.check();
  }

  /** Nothing to do but watch the file at the path: none in its grace period, no unfinished line waiting to be shown. */
  private idle(): boolean {
    const current = this.current;
    return this.state === 'live' && current !== null && this.retired.length === 0 && !current.content?.splitter.hasPartial;
  }

  /** `stats` (of the path) are of the file held, as it was when last read to its end. */
  private unchangedAt(stats: BigIntStats): boolean {
    const current = this.current;
    if (!current || !stats.isFile() || stats.dev !== current.dev || stats.ino !== current.ino || !current.unchangedSince(stats)) return false;
    const content = current.content;
    if (!content) return stats.size === 0n;
    return !current.isOrigin || Number(stats.size) === content.readTo;
  }

  /** One look, run inside a registry job (its own, or another source's that must know what this path holds). */
  async lookNow(): Promise<void> {
    if (this.closed || this.looking) return;
    this.looking = true;
    try {
      await this.look();
    } catch (err) {
      this.fail(err);
    } finally {
      this.looking = false;
    }
  }

  /**
   * What a search of its files needs: where its live tail stands in the file at its path (the end of the last
   * line given out; undefined when that file is not read from its own content), and that line's seq.
   */
  searched(): SearchedSource {
    const current = this.current;
    const content = current?.isOrigin ? current.content : null;
    const end = content?.splitter.nextLineStart(content.readTo) ?? undefined;
    return { id: this.id, path: this.path, end, lastSeq: this.seq };
  }

  /** Does this source hold a file carrying `content` (at its path, or in its grace period)? */
  holdsContent(content: Content): boolean {
    return !this.closed && (this.current?.content === content || this.retired.some((r) => r.reader.content === content));
  }

  /** Stops following and lets every file go. Idempotent. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.registry.unregister(this);
    return this.registry.serially(async () => {
      const readers = [...(this.current ? [this.current] : []), ...this.retired.splice(0).map((r) => r.reader)];
      this.current = null;
      await Promise.all(readers.map((reader) => this.letGo(reader)));
    });
  }

  private async look(): Promise<void> {
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
    if (this.resume !== null && this.current === null && this.retired.length === 0) await this.resumeInRotation(here);
    const current = this.current;
    if (current && !(here && here.dev === current.dev && here.ino === current.ino)) {
      this.retire(current);
      // It may have been truncated (copytruncate) and written again before it left the path.
      if (current.isOrigin) await this.startOverIfRewritten(current, Number((await current.handle.stat()).size));
      // Born before the file now at the path, or (none there) up to now, whatever the clock's coarseness.
      await this.retireSkipped(current.birthNs, here ? here.birthtimeNs : BigInt(Date.now() + BIRTH_CLOCK_SLACK_MS) * 1_000_000n);
      // With no file at the path, files may still come and be rotated away before we look again. The two
      // windows overlap: a file found twice is held already.
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
    const reader = this.current ?? (await this.openCurrent());
    if (!reader) return;
    // What was opened may not be what the path named when it was looked at (a rotation in between).
    const same = reader.dev === here.dev && reader.ino === here.ino;
    await this.readCurrent(reader, same ? here : await reader.handle.stat({ bigint: true }));
  }

  /** Reads the file at the path, first telling a truncation or a rewrite from growth. */
  private async readCurrent(reader: FileReader, here: BigIntStats): Promise<void> {
    const size = Number(here.size);
    const content = reader.content;
    if (content && this.unchangedAt(here)) {
      // Nothing written since we read it all: no read, no fingerprint.
      this.setLive(size);
      return this.flushIfQuiet(content);
    }
    this.setLive(size);
    await this.readNew(reader, size);
    reader.remember(here);
    const read = reader.content;
    if (!read) return;
    this.flushIfQuiet(read);
  }

  /** Reads what `reader`'s file holds that its content was not read to yet; the bytes read. */
  private async readNew(reader: FileReader, size: number): Promise<number> {
    if (!reader.content) {
      if (size === 0) return 0; // still empty: what it will carry is not known yet
      await this.settleContent(reader, size, 'beginning');
      if (!reader.content) return 0;
    }
    const content = reader.content!;
    if (reader.isOrigin) {
      // A look run meanwhile (another source's, see openCurrent) may have read past the size this look saw.
      if (size < content.readTo) size = Number((await reader.handle.stat()).size);
      // Other first bytes are found by the read (see FileReader.readToEnd).
      if (size < content.readTo) await this.startOver(reader);
    } else {
      // A copy: only what it holds past where its content was read to is new.
      if (size <= content.readTo) return 0;
      // Not a copy any more (rewritten since): a content of its own, read from its start.
      if (!(await this.sameStart(reader, content, size))) reader.content = this.newContent(reader, this);
    }
    return this.readHeld(reader);
  }

  /** Shows the unfinished last line once the file has been quiet for `partialLineMs`. */
  private flushIfQuiet(content: Content): void {
    if (content.splitter.hasPartial && Date.now() - content.lastDataAt >= this.options.partialLineMs) this.ownerOf(content).flushPartial(content);
  }

  private setLive(size: number): void {
    this.size = size;
    this.missingSince = null;
    this.hadFile = true;
    // Live before lines are handed on, so a listener sees the state of the source they belong to.
    this.setState('live');
  }

  /**
   * The file's first bytes are still its content's. The print only ever holds bytes read (or that were there
   * when the content began): bytes taken from a later look could belong to a rewrite we never saw.
   */
  private async sameStart(reader: FileReader, content: Content, size: number): Promise<boolean> {
    return sameStart(content.fingerprint, await readFingerprint(reader.handle, size));
  }

  private async startOverIfRewritten(reader: FileReader, size: number): Promise<void> {
    const content = reader.content;
    if (content && (size < content.readTo || !(await this.sameStart(reader, content, size)))) await this.startOver(reader);
  }

  /**
   * The file was truncated or rewritten in place. What it held past where it was read to is lost from it, but
   * a copytruncate put it in a copy: read it from there (a copy some source holds, else one beside the path).
   * Then the file begins a new content, read from 0.
   */
  private async startOver(reader: FileReader): Promise<void> {
    const content = reader.content!;
    // The file's new content shows where its old one did (it may have been renamed since, to a name seen first).
    const owner = this.ownerOf(content);
    for (const copy of this.registry.carriersOf(content)) await this.readHeld(copy);
    // Files some source holds are other contents (or the copies just read), whatever their first bytes.
    const copy = await findRotatedCopy(content.homePath, content.fingerprint, content.readTo, (dev, ino) => this.registry.holds(dev, ino));
    if (copy) {
      try {
        const from = content.readTo;
        content.readTo = copy.size;
        await readRange(copy.handle, from, copy.size, this.options.pool, (chunk, at) => owner.take(content, chunk, at));
      } finally {
        await copy.handle.close().catch(() => undefined);
      }
    }
    owner.flushPartial(content);
    content.rewritten = true;
    this.registry.end(content);
    reader.content = this.newContent(reader, owner);
  }

  /**
   * A content of its own for the file, read from its start. Its print starts empty and holds only bytes read:
   * bytes taken in another look could be of a rewrite after it, and would then never match what was read.
   */
  private newContent(reader: FileReader, owner: PathView): Content {
    return new Content({
      fingerprint: Buffer.alloc(0),
      readTo: 0,
      origin: reader.key,
      bornMs: Number(reader.birthNs / 1_000_000n),
      owner,
      maxLineBytes: this.options.maxLineBytes,
    });
  }

  /**
   * What a newly found file carries: the content it is a copy of (read on from where that was read to), or a
   * content of its own, read from its last `backfill` lines or its start.
   */
  private async settleContent(reader: FileReader, size: number, firstRead: 'backfill' | 'beginning'): Promise<void> {
    const fingerprint = await readFingerprint(reader.handle, size);
    const copied = this.registry.contentCopiedTo(reader.foundAt, fingerprint);
    if (copied === 'unknown') return; // judged again once it has more bytes
    if (copied) {
      reader.content = copied;
      return;
    }
    let readTo = 0;
    let midLine = false;
    let lastOwnTs: number | null = null;
    if (firstRead === 'backfill') {
      ({ offset: readTo, midLine } = await findBackfillStart(reader.handle, size, this.options.backfill));
      // A backfill that would start inside an event (a trace's frames) starts at its head, so it shows whole,
      // and lines without a time of their own get the time of the line before them.
      if (readTo > 0 && !midLine) ({ eventStart: readTo, lastOwnTs } = await lookBefore(reader.handle, readTo, Date.now()));
    }
    if (readTo === 0) {
      reader.content = this.newContent(reader, this);
      // Read whole, but still what the file held when found: history, not activity.
      reader.content.backfilled = firstRead === 'backfill';
      return;
    }
    // Its first bytes are not read: the print is what was there when it was found.
    const content = new Content({
      fingerprint,
      readTo,
      origin: reader.key,
      bornMs: Number(reader.birthNs / 1_000_000n),
      owner: this,
      maxLineBytes: this.options.maxLineBytes,
    });
    if (midLine) content.splitter.discardUntilNewline();
    content.lastOwnTs = lastOwnTs;
    content.backfilled = true;
    reader.content = content;
  }

  /**
   * The first file opened at the path in this run, with a stored position: when it is the file the position was
   * written in, its content goes on from there (true). Any other file there came after it: all of it is read.
   */
  private async resumeIn(reader: FileReader, size: number): Promise<boolean> {
    const resume = this.resume!;
    this.resume = null;
    const same = Number(reader.dev) === resume.dev && Number(reader.ino) === resume.ino && size >= resume.offset;
    if (!same || !resume.hasPrint(await readFingerprint(reader.handle, Math.min(size, resume.printBytes)))) {
      this.firstRead = 'beginning';
      return false;
    }
    if (resume.offset === 0) {
      this.firstRead = 'beginning'; // nothing of it given out yet: all of it is new
      return false;
    }
    reader.content = new Content({
      fingerprint: await readFingerprint(reader.handle, size),
      readTo: resume.offset,
      origin: reader.key,
      bornMs: Number(reader.birthNs / 1_000_000n),
      owner: this,
      maxLineBytes: this.options.maxLineBytes,
    });
    return true;
  }

  /**
   * A stored position whose file is no longer at the path (rotated while we were stopped): found among the
   * rotations by identity and first bytes, its remainder is read first, then the files rotated after it (born
   * later), then the file at the path, whole. Not found: left to resumeIn (the file at the path read whole).
   */
  private async resumeInRotation(here: BigIntStats | null): Promise<void> {
    const resume = this.resume!;
    if (here && Number(here.dev) === resume.dev && Number(here.ino) === resume.ino) return;
    const found = (await rotationsOf(this.path)).find(({ stats }) => Number(stats.dev) === resume.dev && Number(stats.ino) === resume.ino);
    if (!found || this.registry.holds(found.stats.dev, found.stats.ino)) return;
    let opened: OpenedLogFile | null = null;
    try {
      opened = await openLogFile(found.path, { noFollow: true });
      const { handle, stats } = opened;
      const size = Number(stats.size);
      const same = stats.dev === found.stats.dev && stats.ino === found.stats.ino && size >= resume.offset;
      if (!same || !resume.hasPrint(await readFingerprint(handle, Math.min(size, resume.printBytes))) || this.registry.holds(stats.dev, stats.ino)) {
        await handle.close().catch(() => undefined);
        return;
      }
      const reader = new FileReader(handle, stats.dev, stats.ino, stats.birthtimeNs, found.path);
      this.registry.add(reader);
      reader.holders.add(this);
      reader.content = new Content({
        fingerprint: await readFingerprint(handle, size),
        readTo: resume.offset,
        origin: reader.key,
        bornMs: Number(reader.birthNs / 1_000_000n),
        owner: this,
        maxLineBytes: this.options.maxLineBytes,
      });
      this.retired.push({ reader, quietSince: Date.now() });
      this.resume = null;
      this.firstRead = 'beginning';
      await this.retireAll(rotatedAfter(await rotationsOf(this.path), found, here));
    } catch {
      await opened?.handle.close().catch(() => undefined);
    }
  }

  /** A file found empty, now away from the path: once it has bytes, what it carries is known. */
  private async settleWhenWritten(reader: FileReader): Promise<void> {
    const size = Number((await reader.handle.stat()).size);
    if (size > 0) await this.settleContent(reader, size, 'beginning');
  }

  /**
   * The reader of the file the path names now, opened when no source holds it yet; null on failure. A new
   * file at a rotation name of a followed path is first left to that path's source, which may have held it.
   */
  private async openCurrent(): Promise<FileReader | null> {
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
      if (!this.registry.holds(stats.dev, stats.ino)) for (const base of this.registry.rotationBasesOf(this.path)) await base.lookNow();
      let reader = this.registry.get(stats.dev, stats.ino);
      if (reader) {
        await handle.close().catch(() => undefined);
        this.takeBack(reader);
      } else {
        reader = new FileReader(handle, stats.dev, stats.ino, stats.birthtimeNs, this.path);
        this.registry.add(reader);
        reader.holders.add(this);
        const size = Number(stats.size);
        const resumed = this.resume !== null && (await this.resumeIn(reader, size));
        if (!resumed && size > 0) await this.settleContent(reader, size, this.firstRead);
      }
      return this.becomeCurrent(reader);
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

  /** A file one of ours or another source's: ours, it leaves the retired ones (renamed back to the path). */
  private takeBack(reader: FileReader): void {
    const i = this.retired.findIndex((r) => r.reader === reader);
    if (i !== -1) this.retired.splice(i, 1);
    reader.holders.add(this);
  }

  /**
   * Files that were at the path after the one we held and were rotated away before we looked (a writer
   * rotating faster than we look): read whole, after the one we held and before the one there now.
   */
  private async retireSkipped(bornAfterNs: bigint, bornBeforeNs: bigint): Promise<void> {
    await this.retireAll(await findSkippedRotations(this.path, bornAfterNs, bornBeforeNs));
  }

  /** Holds these rotated files, oldest first, each read whole after the ones held already. */
  private async retireAll(files: readonly SkippedFile[]): Promise<void> {
    for (const skipped of files) {
      // Held already (found at its rotated name): that is where it is read.
      if (this.registry.holds(skipped.dev, skipped.ino)) continue;
      let opened: OpenedLogFile | null = null;
      try {
        // A rotation is never a symlink: one swapped in since it was listed is not followed.
        opened = await openLogFile(skipped.path, { noFollow: true });
        const { handle, stats } = opened;
        if (stats.dev !== skipped.dev || stats.ino !== skipped.ino || this.registry.holds(stats.dev, stats.ino)) {
          await handle.close().catch(() => undefined); // renamed again meanwhile; what is there now is another file
          continue;
        }
        const reader = new FileReader(handle, stats.dev, stats.ino, stats.birthtimeNs, skipped.path);
        this.registry.add(reader);
        reader.holders.add(this);
        await this.settleWhenWritten(reader);
        this.retired.push({ reader, quietSince: Date.now() });
      } catch {
        await opened?.handle.close().catch(() => undefined);
      }
    }
  }

  private becomeCurrent(reader: FileReader): FileReader | null {
    if (this.closed) {
      void this.letGo(reader);
      return null;
    }
    this.current = reader;
    this.firstRead = 'beginning';
    if (this.options.watchWrites) reader.watchWrites(this.path);
    return reader;
  }

  /** The file left the path: keep reading it for a grace period, as its writer may not have noticed yet. */
  private retire(reader: FileReader): void {
    this.current = null;
    this.retired.push({ reader, quietSince: Date.now() });
  }

  /** Reads every rotated-away file to EOF; lets go of those past their grace period (or past the count kept). */
  private async readRetired(): Promise<void> {
    for (const held of [...this.retired]) {
      if (!held.reader.content) await this.settleWhenWritten(held.reader);
      if ((await this.readHeld(held.reader)) > 0) held.quietSince = Date.now();
      const expired = Date.now() - held.quietSince >= this.options.rotatedGraceMs;
      if (expired || this.retired.length > ROTATED_FILES_KEPT || this.closed) {
        this.retired.splice(this.retired.indexOf(held), 1);
        await this.letGo(held.reader);
      }
    }
  }

  /**
   * This source is done with the file (its grace period ended, or the source closes); the last holder closes
   * it. Its writer has moved on, so an unfinished last line of what this source showed will never be
   * finished: it is shown here, where the rest of it was.
   */
  private async letGo(reader: FileReader): Promise<void> {
    const content = reader.content;
    if (content && content.owner === this) this.flushPartial(content);
    if (this.registry.release(reader, this)) await reader.close();
  }

  /**
   * Reads `reader`'s content on to EOF; its lines go to the content's owner. A file found rewritten in place
   * starts over (its old content's rest from a copy) and is read again from 0. The bytes read.
   */
  private async readHeld(reader: FileReader): Promise<number> {
    let bytes = 0;
    for (let attempt = 0; attempt < 2; attempt++) {
      const content = reader.content;
      if (!content) return bytes;
      const owner = this.ownerOf(content);
      const outcome = await reader.readToEnd(this.options.pool, (chunk, at) => {
        bytes += chunk.length;
        owner.take(content, chunk, at);
      });
      if (outcome === 'read') {
        // What it held when found is read: from here its lines are activity (see SourceStats).
        content.backfilled = false;
        break;
      }
      await this.startOver(reader);
    }
    return bytes;
  }

  /** Who shows `content`'s lines: its owner while that source still holds a file carrying it, else this one. */
  private ownerOf(content: Content): PathView {
    const owner = content.owner;
    if (owner !== this && owner instanceof PathView && owner.holdsContent(content)) return owner;
    content.owner = this;
    return this;
  }

  /** Splits a chunk of `content`, read at `at`, into lines and hands them on, as this source's. */
  private take(content: Content, chunk: Buffer, at: number): void {
    this.batchTs = Date.now();
    this.splitting = content;
    this.lineIndex.noteNext(this.seq + 1, content, content.splitter.nextLineStart(at));
    this.stats.countBytes(chunk.length);
    const kernel = this.options.lineKernel?.() ?? null;
    if (kernel) {
      this.takeWithKernel(kernel, content, chunk, at);
    } else {
      this.chunkAt = at;
      content.splitter.push(chunk, this.collect);
    }
    this.emitBatch(content, content.splitter.nextLineStart(at + chunk.length) ?? at + chunk.length);
    content.events.keepOwnCopy();
  }

  /**
   * The line kernel takes the lines it can (most logs' lines, see line-kernel.as.ts) and writes them
   * as their event's JSON, with no string or object made per line; the JS way takes the others: the rest of a
   * line begun in an earlier read, a line the kernel leaves and those after it up to the next one that starts
   * with a letter or a digit (indented frames of a stack trace), and, after KERNEL_MISSES_PER_READ lines in a
   * row left in a read, the rest of the read.
   */
  private takeWithKernel(kernel: LineKernel, content: Content, chunk: Buffer, at: number): void {
    const splitter = content.splitter;
    let from = 0;
    let misses = 0;
    while (from < chunk.length) {
      if (splitter.atLineStart && misses < KERNEL_MISSES_PER_READ) {
        const context = { inheritedTime: content.lastOwnTs ?? this.batchTs, plainEvent: content.events.inPlainEvent };
        const stop = kernel.encode(chunk, from, this.seq, context, this.options.maxLineBytes, ENCODED_BATCH_BYTES, (lines) => this.emitEncoded(content, chunk, at, lines));
        if (stop > from) {
          splitter.linesTakenElsewhere();
          from = stop;
          misses = 0;
          continue;
        }
        misses++;
      }
      const to = misses >= KERNEL_MISSES_PER_READ ? chunk.length : nextKernelCandidate(chunk, from);
      this.chunkAt = at + from;
      splitter.push(chunk.subarray(from, to), this.collect);
      // The batch is plain only if what every push gave is (the splitter tells of its last push only).
      this.earlierPushesPlain &&= splitter.plain;
      from = to;
    }
  }

  /** Hands on lines the kernel wrote, after the lines collected before them. */
  private emitEncoded(content: Content, chunk: Buffer, at: number, lines: EncodedLines): void {
    this.emitBatch(content, at + lines.first);
    this.seq += lines.count;
    // What lineOf would have left behind its last line: each line the kernel takes heads a plain event.
    const last = lines.count - 1;
    if (lines.lastOwnTime >= 0) content.lastOwnTs = lines.lastOwnTime;
    content.events.continues(chunk.toString('latin1', lines.lastStart, lines.end - 1), true);
    setEventHead(content, lines.times[last]!, KERNEL_LEVELS[lines.levels[last]!]);
    this.stats.countTimes(lines.times, (i) => lines.levels[i]! >= FIRST_ERROR_LEVEL, lines.count, this.batchTs, content.backfilled);
    this.options.events.encoded(this, lines, { file: content.firstFile, print: content.fingerprint, end: at + lines.end, plain: true });
  }

  private flushPartial(content: Content): void {
    this.batchTs = Date.now();
    this.splitting = content;
    content.splitter.flushPartial(this.collect);
    this.emitBatch(content, content.readTo);
  }

  private readonly collect = (text: string, cut: boolean, next: number): void => {
    const content = this.splitting!;
    const line = lineOf(text, cut, ++this.seq, content, parseLineTimestamp(text, this.batchTs), this.batchTs);
    // A 1 MiB chunk is ~10,000 lines: handed on in pieces, they die young instead of being copied by the
    // scavenges met while the whole chunk is split (GC time of a 1M-line burst: 350 → 200 ms).
    if (this.batch.push(line) >= LINES_HANDED_ON_AT && next >= 0) this.emitBatch(content, this.chunkAt + next);
  };

  /** Hands on the lines collected; `end`: the byte of `content` after the last of them. */
  private emitBatch(content: Content, end: number): void {
    if (this.batch.length === 0) return;
    const lines = this.batch;
    this.batch = [];
    const plain = this.earlierPushesPlain && content.splitter.plain;
    this.earlierPushesPlain = true;
    this.stats.countLines(lines, this.batchTs, this.splitting?.backfilled === true);
    this.options.events.lines(this, lines, { file: content.firstFile, print: content.fingerprint, end, plain });
  }

  private markMissing(): void {
    this.missingSince ??= Date.now();
    this.size = 0;
    // It was not there when we first looked, so when it appears it is a new file: read all of it.
    this.firstRead = 'beginning';
    this.setState(this.hadFile ? 'deleted' : 'waiting');
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

/**
 * The rotations written after `first` rotated away (it was at the path before them), oldest first: born after
 * it where the file system keeps birth times, else last written no earlier than it was. Not the file at the
 * path now. Among equal times, the higher rotation number is the older (app.log.2 before app.log.1).
 */
function rotatedAfter(rotations: Sibling[], first: Sibling, here: BigIntStats | null): SkippedFile[] {
  const births = first.stats.birthtimeNs !== 0n;
  const time = (s: Sibling) => (births ? s.stats.birthtimeNs : s.stats.mtimeNs);
  const isFirst = (s: Sibling) => s.stats.dev === first.stats.dev && s.stats.ino === first.stats.ino;
  const isHere = (s: Sibling) => here !== null && s.stats.dev === here.dev && s.stats.ino === here.ino;
  const after = rotations.filter((s) => !isFirst(s) && !isHere(s) && (births ? time(s) > time(first) : time(s) >= time(first)));
  // rotationsOf lists the newest first (ties by number, lowest first): reversed, the oldest first.
  return after.reverse().sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0)).map(({ path, stats }) => ({ path, dev: stats.dev, ino: stats.ino }));
}

/**
 * Where the first line after the one at `from` starts that the line kernel may take (one that starts with a
 * letter or a digit; not an indented stack frame), or the chunk's end.
 */
function nextKernelCandidate(chunk: Buffer, from: number): number {
  for (let newline = chunk.indexOf(0x0a, from); newline >= 0; newline = chunk.indexOf(0x0a, newline + 1)) {
    const next = chunk[newline + 1];
    if (next === undefined || (next >= 0x30 && next <= 0x39) || ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a)) return newline + 1;
  }
  return chunk.length;
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
