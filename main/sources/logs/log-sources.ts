// The log sources: finds log files (--dir, --file), follows each one, and hands their lines and their
// state to a sink. Knows files, nothing of clients.
//
// Behaviour choices:
// - A file that is deleted (or renamed away) is `waiting` until a file appears at its path again, which is
//   then read from its beginning. A --file waits forever; a file under a --dir that stays missing for
//   REMOVED_AFTER_MS is dropped with `sourceChanged('remove', { ...source, state: 'removed' })` and leaves
//   `list()`. If it comes back later it is the same source (same id) and its seq goes on where it stopped.
// - Files there at start are backfilled (their last `backfill` lines). A file found later is read from its
//   beginning when it was created after start (by its birth time; where the file system has none, it counts
//   as new), else (moved in, or a rotation renamed into a watched name) it is backfilled too.
// - --include/--exclude, the compressed-file rule and the binary sniff apply to files under a --dir; a --file
//   is followed as named.
// - Rotation by rename: the file we hold is read to its end before the new one is read from 0. A file that is
//   created and rotated away between two looks (events, or the 1 s safety tick) is never read at this path.
import { basename, relative, resolve, sep } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { LogLine, SourceInfo } from '../../../protocol/events';
import type { TailwatchConfig } from '../../core/config';
import { looksBinary } from './binary-sniff';
import { FileFollower } from './file-follower';
import { BIRTH_CLOCK_SLACK_MS, REMOVED_AFTER_MS, SAFETY_TICK_MS, UPDATE_INTERVAL_MS } from './limits';
import { FileRegistry } from './file-registry';
import { createPathFilters } from './path-filter';
import type { PathFilters } from './path-filter';
import { PathWatcher } from './path-watcher';
import type { WatchEventName } from './path-watcher';
import { ReadBufferPool } from './read-buffer-pool';
import { sourceIdOf } from './source-id';

export type LogSourcesOptions = Pick<
  TailwatchConfig,
  'dir' | 'file' | 'include' | 'exclude' | 'backfill' | 'maxLineBytes' | 'partialLineMs' | 'maxFiles' | 'depth' | 'poll'
>;

export interface LogSink {
  /** Called with lines in order; seq per source starts at 1 and never skips or repeats. */
  appendLines(sourceId: string, lines: LogLine[]): void;
  /** A source was added, changed state/size/lines (throttle 'update' to at most ~1/s per source), or removed. */
  sourceChanged(op: 'add' | 'update' | 'remove', source: SourceInfo): void;
  /** A warning for the operator (printed to stderr by the CLI). */
  warn(message: string): void;
}

/** A followed file and what the sink has been told about it. */
interface Tracked {
  follower: FileFollower;
  /** Found under a --dir (may be dropped when gone), rather than named by --file (waits forever). */
  underDir: boolean;
  announced: boolean;
  /** Changed since the last `update` was sent. */
  dirty: boolean;
  lastUpdateAt: number;
}

export class LogSources {
  private readonly options: LogSourcesOptions;
  private readonly sink: LogSink;
  private readonly dirs: string[];
  private readonly files: string[];
  private readonly filters: PathFilters;
  private readonly pool = new ReadBufferPool();
  /** By absolute path. */
  private readonly tracked = new Map<string, Tracked>();
  /** The last seq of sources dropped in this run, so one that comes back never repeats a seq. */
  private readonly lastSeqOfDropped = new Map<string, number>();
  /** Binary files seen under a --dir, so their every write does not cost a sniff; forgotten when deleted. */
  private readonly binary = new Set<string>();
  private readonly initialFollows = new Set<Promise<void>>();
  private readonly registry = new FileRegistry();
  /** A watcher per --dir that is a directory now, with the inode it watches. */
  private readonly dirWatchers = new Map<string, { watcher: PathWatcher; ino: bigint }>();
  private fileWatcher: PathWatcher | null = null;
  private checkingDirs = false;
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private initialScanDone = false;
  private warnedFileCap = false;
  private closing: Promise<void> | null = null;

  constructor(options: LogSourcesOptions, sink: LogSink) {
    checkWholeNumber('backfill', options.backfill, 0);
    checkWholeNumber('maxLineBytes', options.maxLineBytes, 1);
    checkWholeNumber('partialLineMs', options.partialLineMs, 0);
    checkWholeNumber('maxFiles', options.maxFiles, 1);
    checkWholeNumber('depth', options.depth, 0);
    this.options = options;
    this.sink = sink;
    this.dirs = [...new Set(options.dir.map((d) => resolve(d)))];
    this.files = [...new Set(options.file.map((f) => resolve(f)))];
    this.filters = createPathFilters(options.include, options.exclude);
  }

  /** Resolves once the initial scan is done and every initial file's backfill has been handed to the sink. */
  async start(): Promise<void> {
    if (this.timer || this.closing) return;
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.tick(), SAFETY_TICK_MS);
    this.timer.unref();

    for (const file of this.files) this.trackInitial(this.follow(file, basename(file), 'backfill', false));
    for (const dir of this.dirs) {
      const ino = await directoryIno(dir);
      if (ino !== null) this.watchDir(dir, ino);
      else this.sink.warn(`--dir ${dir} is not a directory (yet); its files are followed once it is one`);
    }
    if (this.files.length > 0) {
      this.fileWatcher = new PathWatcher({
        paths: this.files,
        label: '--file',
        poll: this.options.poll,
        onEvent: (_event, path) => void this.tracked.get(resolve(path))?.follower.check(),
        warn: (message) => this.sink.warn(message),
      });
    }
    await Promise.all(this.watchers().map((w) => w.ready()));
    this.initialScanDone = true;
    await Promise.all(this.initialFollows);
  }

  list(): SourceInfo[] {
    return [...this.tracked.values()].map((t) => t.follower.info());
  }

  /** Stops watchers, timers and closes every fd. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.watchers().map((w) => w.close()));
    await Promise.all([...this.tracked.values()].map((t) => t.follower.close()));
  }

  private watchers(): PathWatcher[] {
    const dirs = [...this.dirWatchers.values()].map((w) => w.watcher);
    return this.fileWatcher ? [this.fileWatcher, ...dirs] : dirs;
  }

  private watchDir(dir: string, ino: bigint): void {
    const watcher = new PathWatcher({
      paths: [dir],
      label: `--dir ${dir}`,
      depth: this.options.depth,
      poll: this.options.poll,
      // Files the filter rejects are not even watched, nor excluded directories (depth bounds the rest).
      ignored: (path: string, stats?: Stats) =>
        (stats?.isFile() === true && !this.accepts(dir, path)) ||
        (stats?.isDirectory() === true && !this.filters.dir(relativeTo(dir, path))),
      onEvent: (event, path) => this.onDirEvent(dir, event, resolve(path)),
      warn: (message) => this.sink.warn(message),
    });
    this.dirWatchers.set(dir, { watcher, ino });
  }

  /**
   * chokidar neither notices a --dir created after it started nor one deleted and created again (it watched
   * the old directory), so the safety timer looks: a new or replaced --dir gets a new watcher. Its files
   * that were followed are re-checked by the timer anyway, and are `waiting` while the directory is gone.
   */
  private async rewatchDirs(): Promise<void> {
    if (this.checkingDirs) return;
    this.checkingDirs = true;
    try {
      for (const dir of this.dirs) {
        const ino = await directoryIno(dir);
        const watched = this.dirWatchers.get(dir);
        if (this.closing || watched?.ino === ino) continue;
        if (watched) {
          this.dirWatchers.delete(dir);
          void watched.watcher.close();
          if (ino === null) this.sink.warn(`--dir ${dir} was removed; its files are followed again once it is back`);
        }
        if (ino !== null) this.watchDir(dir, ino);
      }
    } finally {
      this.checkingDirs = false;
    }
  }

  private accepts(dir: string, path: string): boolean {
    return this.filters.file(relativeTo(dir, path));
  }

  private trackInitial(follow: Promise<void>): void {
    this.initialFollows.add(follow);
    void follow.finally(() => this.initialFollows.delete(follow));
  }

  private onDirEvent(dir: string, event: WatchEventName, path: string): void {
    const known = this.tracked.get(path);
    if (known) {
      void known.follower.check();
      return;
    }
    if (event === 'unlink') {
      this.binary.delete(path);
      return;
    }
    if (this.closing || this.binary.has(path)) return;
    if (this.initialScanDone) void this.discover(dir, path, false);
    else this.trackInitial(this.discover(dir, path, true));
  }

  /** A file appeared under a --dir: follow it if it is a text log we may take on. Never rejects. */
  private async discover(dir: string, path: string, initial: boolean): Promise<void> {
    if (!this.accepts(dir, path) || this.atFileCap(path)) return;
    if (await looksBinary(path)) {
      this.binary.add(path);
      return;
    }
    const firstRead = initial || !(await this.createdSinceStart(path)) ? 'backfill' : 'beginning';
    if (this.closing || this.tracked.has(path) || this.atFileCap(path)) return;
    const name = relativeTo(dir, path);
    await this.follow(path, name, firstRead, true);
  }

  /** True (and a warning, the first time) when no more files may be followed. */
  private atFileCap(path: string): boolean {
    if (this.tracked.size < this.options.maxFiles) return false;
    if (!this.warnedFileCap) {
      this.warnedFileCap = true;
      this.sink.warn(
        `already following ${this.options.maxFiles} files (--max-files): not following ${path} ` +
          'nor any other file found from now on; narrow --dir/--include or raise --max-files',
      );
    }
    return true;
  }

  private async createdSinceStart(path: string): Promise<boolean> {
    try {
      const { birthtimeMs } = await stat(path);
      // File times come from the kernel's coarse clock, which can trail Date.now() by a tick or more.
      return birthtimeMs === 0 || birthtimeMs >= this.startedAt - BIRTH_CLOCK_SLACK_MS;
    } catch {
      return true; // gone already: if it comes back it is new anyway
    }
  }

  /** Starts following `path`; resolves once its first read (the backfill) has been handed on. */
  private async follow(path: string, name: string, firstRead: 'backfill' | 'beginning', underDir: boolean): Promise<void> {
    const id = sourceIdOf(path);
    const lastSeq = this.lastSeqOfDropped.get(id);
    this.lastSeqOfDropped.delete(id);
    const follower = new FileFollower({
      id,
      path,
      name,
      maxLineBytes: this.options.maxLineBytes,
      partialLineMs: this.options.partialLineMs,
      backfill: this.options.backfill,
      firstRead,
      ...(lastSeq === undefined ? {} : { lastSeq }),
      pool: this.pool,
      registry: this.registry,
      watchWrites: !this.options.poll,
      events: {
        lines: (f, lines) => this.onLines(f, lines),
        changed: (f) => this.onChanged(f),
      },
    });
    const tracked: Tracked = { follower, underDir, announced: false, dirty: false, lastUpdateAt: 0 };
    this.tracked.set(path, tracked);
    await follower.check();
    try {
      this.announce(tracked);
    } catch (err) {
      // Only a throwing sink gets here; it must not become an unhandled rejection in a watcher callback.
      this.sink.warn(`announcing ${path} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private onLines(follower: FileFollower, lines: LogLine[]): void {
    const tracked = this.tracked.get(follower.path);
    if (tracked) this.announce(tracked);
    this.sink.appendLines(follower.id, lines);
    this.onChanged(follower);
  }

  private onChanged(follower: FileFollower): void {
    const tracked = this.tracked.get(follower.path);
    if (!tracked || tracked.follower !== follower) return;
    if (!tracked.announced) return this.announce(tracked);
    tracked.dirty = true;
    if (Date.now() - tracked.lastUpdateAt >= UPDATE_INTERVAL_MS) this.sendUpdate(tracked);
  }

  /** The first word about a source is `add`, before any of its lines. */
  private announce(tracked: Tracked): void {
    if (tracked.announced || this.tracked.get(tracked.follower.path) !== tracked) return;
    tracked.announced = true;
    tracked.lastUpdateAt = Date.now();
    this.sink.sourceChanged('add', tracked.follower.info());
  }

  private sendUpdate(tracked: Tracked): void {
    tracked.dirty = false;
    tracked.lastUpdateAt = Date.now();
    this.sink.sourceChanged('update', tracked.follower.info());
  }

  /** The safety timer: re-check every file, send due updates, drop files long gone from a --dir, find late dirs. */
  private tick(): void {
    const now = Date.now();
    void this.rewatchDirs();
    for (const tracked of this.tracked.values()) {
      const { follower } = tracked;
      const missingSince = follower.missingSince;
      if (tracked.underDir && follower.currentState === 'waiting' && missingSince !== null && now - missingSince >= REMOVED_AFTER_MS) {
        this.drop(tracked);
        continue;
      }
      void follower.check();
      if (follower.sampleRates(now)) tracked.dirty = true;
      if (tracked.dirty && tracked.announced && now - tracked.lastUpdateAt >= UPDATE_INTERVAL_MS) this.sendUpdate(tracked);
    }
  }

  private drop(tracked: Tracked): void {
    const { follower } = tracked;
    this.tracked.delete(follower.path);
    this.lastSeqOfDropped.set(follower.id, follower.lastSeq);
    void follower.close();
    if (tracked.announced) this.sink.sourceChanged('remove', { ...follower.info(), state: 'removed' });
  }
}

/** `path` below `dir`, with `/` separators, as globs and display names use it. */
function relativeTo(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

/** The directory's inode, or null when `path` is not a directory (now). */
async function directoryIno(path: string): Promise<bigint | null> {
  try {
    const stats = await stat(path, { bigint: true });
    return stats.isDirectory() ? stats.ino : null;
  } catch {
    return null;
  }
}

function checkWholeNumber(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`LogSources: option ${option} must be a whole number of at least ${min}, got ${value}`);
  }
}
