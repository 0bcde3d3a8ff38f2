// The log sources: finds log files (--dir, --file), follows each one, and hands their lines and their
// state to a sink. Knows files, nothing of clients.
//
// Behaviour choices:
// - A file that is deleted (or renamed away) is `deleted` (`waiting` is for a path never seen in this run)
//   until a file appears at its path again, which is then read from its beginning. A --file waits forever; a file under a --dir that stays missing for
//   `removedAfterMs` (10 s) is dropped with `sourceChanged('remove', { ...source, state: 'removed' })` and leaves
//   `list()`. If it comes back later it is the same source (same id) and its seq goes on where it stopped.
// - Files there at start are backfilled (their last `backfill` lines, from the head of the event the first of
//   them belongs to). A file found later is read from its
//   beginning when it was created after start (by its birth time; where the file system has none, it counts
//   as new), else (moved in, or a rotation renamed into a watched name) it is backfilled too.
// - --include/--exclude, the compressed-file rule and the binary sniff apply to files under a --dir; a --file
//   is followed as named, and where its symlink leads, as `tail -F` does.
// - Under a --dir only regular files are followed: a FIFO, socket or device is never a source (nor opened).
//   A symlink is followed when its real path stays inside the folder's; one leading outside is skipped with a
//   warning, and a symlinked folder is not descended, unless --follow-symlinks. Even then a file reached by
//   two paths (a loop such as `loop -> .`) is followed once. A followed symlink that is later retargeted
//   outside is judged again when its new target is opened: the source is then in state `error`.
// - Files are followed by identity, paths are views of them (path-view.ts, reader-registry.ts): a rotation by
//   rename or copy, a hard link or a symlink never shows a line twice. The file we hold is read to its end
//   before the new one is read from 0; one created and rotated away between two looks is found by birth time.
// - Roots (the --dir and --file paths) can be added and removed while running (the desktop app's folders
//   and files). An added root is followed as if given at start, its files there now backfilled. Removing
//   one drops the files no other root covers (`remove`), as a long-gone file is dropped.
import { basename, join, resolve, sep } from 'node:path';
import { realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { LogLine, SourceInfo } from '../../../protocol/events';
import type { LinesAnswer, LinesQuery, LinesRefusal } from '../../../protocol/lines';
import { historyFiles } from './history-files';
import { linesBefore, linesBetween } from './line-history';
import { ClientMessageError } from '../../../protocol/client-messages';
import type { SearchLine, SearchRequest } from '../../../protocol/search';
import { parseSearchQuery, SearchQueryError, type SearchQuery } from './search-query';
import { searchSources } from './source-search';
import { looksBinary } from './binary-sniff';
import type { ResumePoint } from '../../../protocol/host-streams';
import { PathView, type LinesPlace } from './path-view';
import { lineKernel, type EncodedLines } from './line-kernel';

export type { LinesPlace, ResumePoint };
import { BINARY_PATHS_KEPT, BIRTH_CLOCK_SLACK_MS, LOG_TIMINGS, OUTSIDE_SYMLINK_WARNINGS } from './limits';
import { DroppedSeqs } from './dropped-seqs';
import { ReaderRegistry } from './reader-registry';
import { dirCovers, isWithin, relativeTo } from './dir-coverage';
import { DirDescent } from './dir-descent';
import { lookAtDirEntry } from './dir-entry';
import { createPathFilters } from './path-filter';
import type { PathFilters } from './path-filter';
import { PathWatcher } from './path-watcher';
import type { WatchEventName } from './path-watcher';
import { ReadBufferPool } from './read-buffer-pool';
import { sourceIdOf } from './source-id';

/** How the log sources look at files, and how long they wait: defaults in limits.ts (LOG_TIMINGS). */
export interface LogTimings {
  /** Every followed file is re-checked this often, whatever events say. */
  safetyTickMs: number;
  /** A file under a --dir missing this long is dropped (`remove`). */
  removedAfterMs: number;
  /** A file rotated away is still read until it has been quiet this long. */
  rotatedGraceMs: number;
  /** `update` for a source at most this often. */
  updateIntervalMs: number;
  /** chokidar's poll interval, with --poll or after running out of watches. */
  pollIntervalMs: number;
}

export interface LogSourcesOptions {
  dir: readonly string[];
  file: readonly string[];
  /** Globs that pick the files under a --dir (common log names when empty), and globs that leave some out. */
  include: readonly string[];
  exclude: readonly string[];
  /** Lines of history read from each file at start. */
  backfill: number;
  /** Lines longer than this are cut (and marked). */
  maxLineBytes: number;
  /** An unfinished last line is shown once its file has been quiet this long. */
  partialLineMs: number;
  /** Files followed at most. */
  maxFiles: number;
  /** Directory depth followed under each --dir. */
  depth: number;
  /** Poll files instead of using OS events (network file systems). */
  poll: boolean;
  /** Under a --dir, also follow symlinks whose target is outside it. */
  followSymlinks: boolean;
  /** Any of LOG_TIMINGS, shorter in tests. */
  timings?: Partial<LogTimings>;
  /**
   * An agent's host name: on every SourceInfo, and hashed into every source id (unique across hosts).
   * Absent (or null) for a server's own sources.
   */
  hostName?: string | null;
  /**
   * Where each source stopped in an earlier run (an agent's stored positions), by source id: asked when a
   * source is first followed in this run. A source with none is backfilled (seq from 1) as always.
   */
  resumeAt?: (id: string) => ResumePoint | undefined;
}

export interface LogSink {
  /**
   * Called with lines in order; seq per source starts at 1 and never skips or repeats. `live` is false for
   * a backfill (the history read when a file is first followed), true for lines read as they are written.
   * `place`: where the last of them ends in its file (what an agent stores to go on from there).
   */
  appendLines(sourceId: string, lines: LogLine[], live: boolean, place: LinesPlace): void;
  /**
   * Optional, for a sink that passes lines on as JSON: the lines the line kernel takes come here, as it wrote
   * them, in place of objects (in order with those, under the same seq rule). Absent: every line comes to
   * appendLines.
   */
  appendEncoded?(sourceId: string, lines: EncodedLines, live: boolean, place: LinesPlace): void;
  /** A source was added, changed state/size/lines (throttle 'update' to at most ~1/s per source), or removed. */
  sourceChanged(op: 'add' | 'update' | 'remove', source: SourceInfo): void;
  /** A warning for the operator (printed to stderr by the CLI). */
  warn(message: string): void;
}

/** A followed file and what the sink has been told about it. */
interface Tracked {
  view: PathView;
  /** Its first read, of the file's last lines, is running. */
  backfilling: boolean;
  announced: boolean;
  /** Changed since the last `update` was sent. */
  dirty: boolean;
  lastUpdateAt: number;
  /** Found under a --dir: its directory entry with symlinked folders resolved (see lookAtDirEntry). */
  location?: string;
}

/** A --dir (or a folder added at run time). */
interface DirRoot {
  /** In warnings: `--dir /var/log`. */
  readonly label: string;
  /** Files born before this are history (backfilled) when found later; files born after are new (read whole). */
  readonly addedAt: number;
  /** Its watcher while it is a directory, with the inode and the real path it watches. */
  watched: { watcher: PathWatcher; ino: bigint; real: string } | null;
  /** While its first watcher's initial scan runs: the follows it started (all backfilled). */
  scanning: Set<Promise<void>> | null;
  /** A look at whether it is (still) a directory is running. */
  looking: boolean;
  /** Symlinks leading outside it that were warned about, at most OUTSIDE_SYMLINK_WARNINGS. */
  readonly warnedOutside: Set<string>;
}

/** Thrown by `addFile` past --max-files. */
export class FileCapError extends Error {
  readonly code = 'ERR_TAILWATCH_MAX_FILES';
}

export class LogSources {
  private readonly options: LogSourcesOptions;
  private readonly timings: LogTimings;
  private readonly sink: LogSink;
  private readonly filters: PathFilters;
  private readonly pool = new ReadBufferPool();
  /** The roots followed now, by absolute path, in the order added. */
  private readonly dirs = new Map<string, DirRoot>();
  /** Each --file with the watcher of its path. */
  private readonly files = new Map<string, PathWatcher>();
  /** By absolute path. */
  private readonly tracked = new Map<string, Tracked>();
  /** The same, by source id. */
  private readonly byId = new Map<string, Tracked>();
  /** Files found under a --dir by `location`, so a file reached by two paths (a folder loop) is followed once. */
  private readonly locations = new Map<string, Tracked>();
  /** The last seq of sources dropped in this run, so one that comes back never repeats a seq. */
  private readonly droppedSeqs = new DroppedSeqs();
  /**
   * Binary files seen under a --dir, so their every write does not cost a sniff; forgotten when deleted, and
   * the oldest past BINARY_PATHS_KEPT (4096), in the order seen.
   */
  private readonly binary = new Set<string>();
  private readonly registry = new ReaderRegistry();
  private checkingDirs = false;
  private timer: NodeJS.Timeout | null = null;
  private warnedFileCap = false;
  private closing: Promise<void> | null = null;

  constructor(options: LogSourcesOptions, sink: LogSink) {
    checkWholeNumber('backfill', options.backfill, 0);
    checkWholeNumber('maxLineBytes', options.maxLineBytes, 1);
    checkWholeNumber('partialLineMs', options.partialLineMs, 0);
    checkWholeNumber('maxFiles', options.maxFiles, 1);
    checkWholeNumber('depth', options.depth, 0);
    this.timings = { ...LOG_TIMINGS, ...options.timings };
    for (const [key, value] of Object.entries(this.timings)) checkWholeNumber(`timings.${key}`, value, 1);
    this.options = options;
    this.sink = sink;
    this.filters = createPathFilters(options.include, options.exclude);
  }

  /** Resolves once the initial scan is done and every initial file's backfill has been handed to the sink. */
  async start(): Promise<void> {
    if (this.timer || this.closing) return;
    this.timer = setInterval(() => this.tick(), this.timings.safetyTickMs);
    this.timer.unref();
    // Files first: a --file under a --dir is then followed as a --file (named as given).
    const files = [...new Set(this.options.file.map((f) => resolve(f)))].map((file) => this.followFile(file, '--file'));
    const dirs = [...new Set(this.options.dir.map((d) => resolve(d)))].map((dir) => this.watchDirRoot(dir, '--dir'));
    await Promise.all([...files, ...dirs]);
  }

  /**
   * Follows a directory as a --dir from now on: its files there now are backfilled, later ones read like
   * a --dir's. Resolves once the files there now have been backfilled (at once when it is not a directory
   * yet: it is then followed once it is one). A root followed already: nothing to do.
   */
  addDir(path: string): Promise<void> {
    this.warnedFileCap = false; // one warning per root added past the cap
    return this.watchDirRoot(resolve(path), 'folder');
  }

  /**
   * Follows one file as a --file from now on (backfilled when there; waited for when not). Resolves once
   * its backfill has been handed to the sink. Throws FileCapError past --max-files.
   */
  async addFile(path: string): Promise<void> {
    const file = resolve(path);
    if (this.closing || this.files.has(file)) return;
    if (!this.tracked.has(file) && this.tracked.size >= this.options.maxFiles) {
      throw new FileCapError(`not following ${file}: already following ${this.options.maxFiles} files (--max-files)`);
    }
    await this.followFile(file, 'file');
  }

  /**
   * Stops following a root (a --dir or a --file): its watcher is closed and the files no other root covers
   * are dropped, with `remove` for each one announced. Added again later, a file's seq goes on where it
   * stopped. Resolves once their fds are closed. A path that is not a root: nothing to do.
   */
  async removeRoot(path: string): Promise<void> {
    const root = resolve(path);
    const dir = this.dirs.get(root);
    const fileWatcher = this.files.get(root);
    if (!dir && !fileWatcher) return;
    this.dirs.delete(root);
    this.files.delete(root);
    const closing: Promise<void>[] = [];
    if (dir?.watched) closing.push(dir.watched.watcher.close());
    if (fileWatcher) closing.push(fileWatcher.close());
    for (const tracked of [...this.tracked.values()]) {
      if (!this.covered(tracked.view.path)) closing.push(this.drop(tracked));
    }
    for (const binary of this.binary) if (!this.covered(binary)) this.binary.delete(binary);
    await Promise.all(closing);
  }

  /** The roots followed now (absolute paths), in the order they were added. */
  roots(): { dirs: string[]; files: string[] } {
    return { dirs: [...this.dirs.keys()], files: [...this.files.keys()] };
  }

  list(): SourceInfo[] {
    return [...this.tracked.values()].map((t) => t.view.info());
  }

  /** One source now, by id; undefined when it is not followed. */
  info(id: string): SourceInfo | undefined {
    return this.byId.get(id)?.view.info();
  }

  /**
   * A source's lines read again from its files: older ones (`before`) or a gap's (`from`..`to`). Reading
   * history never waits for the live tail's looks, nor they for it.
   */
  async lines(query: LinesQuery): Promise<LinesAnswer | LinesRefusal> {
    const view = this.byId.get(query.source)?.view;
    if (!view) return { code: 'not-found', error: `no source ${query.source} is followed` };
    const files = historyFiles(this.registry, this.options.maxLineBytes);
    if ('before' in query) {
      const older = await linesBefore(view.lineIndex, query.before, query.limit, files);
      if (older === 'gone') return { code: 'gone', error: `the lines before ${query.before} are no longer on disk` };
      return { source: query.source, lines: older.lines, start: older.start };
    }
    const lines = await linesBetween(view.lineIndex, query.from, query.to, files);
    if (lines === 'gone') return { code: 'gone', error: `lines ${query.from} to ${query.to} are no longer on disk` };
    return { source: query.source, lines, start: false };
  }

  /**
   * Matching lines of the sources' files on disk (each file and its rotations, `.gz` included), newest first
   * across them, then a summary. Throws ClientMessageError (`bad-search`) for a query it refuses.
   */
  search(request: SearchRequest, signal: AbortSignal): AsyncGenerator<SearchLine> {
    let query: SearchQuery;
    try {
      query = parseSearchQuery(request.q);
    } catch (err) {
      if (err instanceof SearchQueryError) throw new ClientMessageError('bad-search', err.message);
      throw err;
    }
    const wanted = request.sources === null ? null : new Set(request.sources);
    const views = [...this.tracked.values()].map((t) => t.view).filter((view) => wanted === null || wanted.has(view.id));
    return searchSources(views.map((view) => view.searched()), query, { limit: request.limit, maxLineBytes: this.options.maxLineBytes, signal });
  }

  /** Stops watchers, timers and closes every fd. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const watchers = [...this.files.values(), ...[...this.dirs.values()].flatMap((d) => (d.watched ? [d.watched.watcher] : []))];
    await Promise.all(watchers.map((w) => w.close()));
    await Promise.all([...this.tracked.values()].map((t) => t.view.close()));
  }

  /** Is `path` named by a --file, or found under a --dir, that is still a root? */
  private covered(path: string): boolean {
    if (this.files.has(path)) return true;
    for (const dir of this.dirs.keys()) if (dirCovers(dir, path, this.options.depth, this.filters)) return true;
    return false;
  }

  /** Watches the path of a --file and follows it; resolves once its backfill has been handed on. */
  private async followFile(file: string, label: string): Promise<void> {
    const watcher = new PathWatcher({
      paths: [file],
      label: `${label} ${file}`,
      // A --file that names a folder (a mistake, or a folder there for now) must not have it scanned whole.
      depth: 0,
      poll: this.options.poll,
      pollIntervalMs: this.timings.pollIntervalMs,
      onEvent: (_event, path) => void this.tracked.get(resolve(path))?.view.check(),
      warn: (message) => this.sink.warn(message),
    });
    this.files.set(file, watcher);
    // Found under a --dir already: followed on as it is, and from now on waited for when gone.
    const follow = this.tracked.has(file) ? Promise.resolve() : this.follow(file, basename(file), 'backfill');
    await Promise.all([watcher.ready(), follow]);
  }

  /** Watches a --dir; resolves once the files there now have been backfilled. */
  private async watchDirRoot(dir: string, label: string): Promise<void> {
    if (this.closing || this.dirs.has(dir)) return;
    const root: DirRoot = {
      label: `${label} ${dir}`,
      addedAt: Date.now(),
      watched: null,
      scanning: new Set(),
      looking: false,
      warnedOutside: new Set(),
    };
    this.dirs.set(dir, root);
    await this.lookAtDir(dir, root);
    const scanning = root.scanning!;
    if (root.watched) await root.watched.watcher.ready();
    else if (this.dirs.get(dir) === root) this.sink.warn(await notWatchedYet(dir, root.label));
    // From here a file found is new unless born before the root was added (see discover).
    root.scanning = null;
    await Promise.all(scanning);
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
      for (const [dir, root] of [...this.dirs]) await this.lookAtDir(dir, root);
    } finally {
      this.checkingDirs = false;
    }
  }

  /** Gives `root` a watcher when it is a directory it does not watch yet (new, or replaced). */
  private async lookAtDir(dir: string, root: DirRoot): Promise<void> {
    if (root.looking) return;
    root.looking = true;
    try {
      const ino = await directoryIno(dir);
      // A symlink to a folder is that folder's path here: what is inside is judged by the folder's real path.
      const real = ino === null ? null : await realpath(dir).catch(() => null);
      const watched = root.watched;
      if (this.closing || this.dirs.get(dir) !== root || watched?.ino === ino) return;
      if (watched) {
        root.watched = null;
        void watched.watcher.close();
        if (ino === null) this.sink.warn(`${root.label} was removed; its files are followed again once it is back`);
      }
      if (ino !== null && real !== null) this.watchDir(dir, root, ino, real);
    } finally {
      root.looking = false;
    }
  }

  private watchDir(dir: string, root: DirRoot, ino: bigint, real: string): void {
    const followSymlinks = this.options.followSymlinks;
    const descent = followSymlinks ? new DirDescent(dir, real) : null;
    const watcher = new PathWatcher({
      // Without following symlinks chokidar would report a --dir that is a symlink as a file: with a trailing
      // separator the path names the folder it leads to.
      paths: [followSymlinks ? dir : join(dir, sep)],
      label: root.label,
      depth: this.options.depth,
      poll: this.options.poll,
      pollIntervalMs: this.timings.pollIntervalMs,
      followSymlinks,
      // Files the filter rejects are not even watched, nor FIFOs, sockets and devices, nor excluded directories
      // (depth bounds the rest), nor, following symlinks, folders reached again (a loop). A symlink itself
      // (its lstat, when not following them) must get through: discover judges where it leads.
      ignored: (path: string, stats?: Stats) => {
        if (!stats) return false;
        if (stats.isFile()) return !this.accepts(dir, path);
        if (stats.isDirectory()) return !this.filters.dir(relativeTo(dir, path)) || (descent !== null && !descent.mayDescend(path));
        return !stats.isSymbolicLink();
      },
      onEvent: (event, path) => this.onDirEvent(dir, root, event, resolve(path)),
      // A write to a file followed directly in the folder is read at once (PathView.readWrites).
      writesIn: dir,
      onWrite: (path) => void this.tracked.get(path)?.view.readWrites(),
      warn: (message) => this.sink.warn(message),
    });
    root.watched = { watcher, ino, real };
  }

  private accepts(dir: string, path: string): boolean {
    return this.filters.file(relativeTo(dir, path));
  }

  private onDirEvent(dir: string, root: DirRoot, event: WatchEventName, path: string): void {
    const known = this.tracked.get(path);
    if (known) {
      void known.view.check();
      return;
    }
    if (event === 'unlink') {
      this.binary.delete(path);
      return;
    }
    if (this.closing || this.binary.has(path) || this.dirs.get(dir) !== root) return;
    const scanning = root.scanning;
    if (!scanning) return void this.discover(dir, root, path, false);
    const found = this.discover(dir, root, path, true);
    scanning.add(found);
    void found.finally(() => scanning.delete(found));
  }

  /**
   * A file appeared under a --dir: follow it if it is a text log we may take on. Nothing is opened before
   * lstat and stat said it is a regular file (or a symlink to one) that may be followed. Never rejects.
   */
  private async discover(dir: string, root: DirRoot, path: string, initial: boolean): Promise<void> {
    const watchedReal = root.watched?.real;
    if (watchedReal === undefined) return;
    const rel = relativeTo(dir, path);
    const entry = await lookAtDirEntry(path, watchedReal, this.options.followSymlinks);
    if (entry.kind === 'outside') {
      if (entry.folder ? this.filters.dir(rel) : this.filters.file(rel)) this.warnOutside(root, rel, entry.real);
      return;
    }
    if (entry.kind === 'skip' || !this.filters.file(rel) || this.atFileCap(path)) return;
    if (this.followedAt(entry.location, path)) return;
    if (await looksBinary(entry.real)) {
      if (this.dirs.get(dir) === root) this.rememberBinary(path);
      return;
    }
    const firstRead = initial || !(await createdSince(path, root.addedAt)) ? 'backfill' : 'beginning';
    // Removed meanwhile, or found through another root (or another path) first.
    if (this.closing || this.dirs.get(dir) !== root || this.tracked.has(path) || this.atFileCap(path)) return;
    if (this.followedAt(entry.location, path)) return;
    await this.follow(path, rel, firstRead, entry.location);
  }

  /** Is the directory entry at `location` followed already, under another path? */
  private followedAt(location: string, path: string): boolean {
    const holder = this.locations.get(location);
    return holder !== undefined && holder.view.path !== path;
  }

  private rememberBinary(path: string): void {
    if (this.binary.size >= BINARY_PATHS_KEPT) this.binary.delete(this.binary.values().next().value!);
    this.binary.add(path);
  }

  /** One warning per symlink leading outside `root`, for the first OUTSIDE_SYMLINK_WARNINGS of them. */
  private warnOutside(root: DirRoot, rel: string, real: string): void {
    const warned = root.warnedOutside;
    if (warned.has(rel) || warned.size >= OUTSIDE_SYMLINK_WARNINGS) return;
    warned.add(rel);
    const more = warned.size === OUTSIDE_SYMLINK_WARNINGS ? `; further such symlinks under ${root.label} are skipped without a warning` : '';
    this.sink.warn(`${root.label}: not following ${rel}: it is a symlink to ${real}, outside the folder (--follow-symlinks allows it)${more}`);
  }

  /**
   * Where a file found under a --dir leads now (a symlink may have been retargeted since it was found): null
   * when it may be read, else why not. Inside the real path of a --dir that covers it, or anywhere when it is
   * a --file too, or with --follow-symlinks.
   */
  private judgeTarget(path: string, real: string): string | null {
    if (this.options.followSymlinks || this.files.has(path)) return null;
    let label: string | null = null;
    for (const [dir, root] of this.dirs) {
      if (!dirCovers(dir, path, this.options.depth, this.filters)) continue;
      if (root.watched && isWithin(root.watched.real, real)) return null;
      label ??= root.label;
    }
    if (label === null) return null; // no root covers it any more: it is being dropped
    return `not reading ${path}: it leads to ${real}, outside ${label} (--follow-symlinks allows it)`;
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

  /**
   * Starts following `path`; resolves once its first read (the backfill) has been handed on. `location`: a
   * file found under a --dir (see lookAtDirEntry), whose target is judged at every open.
   */
  private async follow(path: string, name: string, firstRead: 'backfill' | 'beginning', location?: string): Promise<void> {
    const host = this.options.hostName || undefined;
    const id = sourceIdOf(path, host);
    const lastSeq = this.droppedSeqs.take(id);
    // A source new to this run (never followed in it, so starting at seq 1) may go on from an earlier run's position.
    const resume = lastSeq === 0 ? this.options.resumeAt?.(id) : undefined;
    const view = new PathView({
      rotatedGraceMs: this.timings.rotatedGraceMs,
      id,
      path,
      name,
      maxLineBytes: this.options.maxLineBytes,
      partialLineMs: this.options.partialLineMs,
      backfill: this.options.backfill,
      firstRead,
      ...(lastSeq === undefined ? {} : { lastSeq }),
      ...(resume === undefined ? {} : { resume }),
      ...(host === undefined ? {} : { host }),
      pool: this.pool,
      registry: this.registry,
      watchWrites: !this.options.poll,
      ...(location === undefined ? {} : { mayRead: (real: string) => this.judgeTarget(path, real) }),
      ...(this.sink.appendEncoded ? { lineKernel } : {}),
      events: {
        lines: (f, lines, place) => this.onLines(f, lines, place),
        encoded: (f, lines, place) => this.onEncoded(f, lines, place),
        changed: (f) => this.onChanged(f),
      },
    });
    const tracked: Tracked = { view, backfilling: firstRead === 'backfill', announced: false, dirty: false, lastUpdateAt: 0 };
    this.tracked.set(path, tracked);
    this.byId.set(id, tracked);
    if (location !== undefined) {
      tracked.location = location;
      this.locations.set(location, tracked);
    }
    await view.check();
    tracked.backfilling = false;
    try {
      this.announce(tracked);
    } catch (err) {
      // Only a throwing sink gets here; it must not become an unhandled rejection in a watcher callback.
      this.sink.warn(`announcing ${path} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private onLines(view: PathView, lines: LogLine[], place: LinesPlace): void {
    const tracked = this.followed(view);
    if (!tracked) return;
    this.announce(tracked);
    this.sink.appendLines(view.id, lines, !tracked.backfilling, place);
    this.onChanged(view);
  }

  private onEncoded(view: PathView, lines: EncodedLines, place: LinesPlace): void {
    const tracked = this.followed(view);
    if (!tracked) return;
    this.announce(tracked);
    this.sink.appendEncoded!(view.id, lines, !tracked.backfilling, place);
    this.onChanged(view);
  }

  /** What is tracked of `view`, unless it was dropped: it may finish a read while it closes, after its `remove`. */
  private followed(view: PathView): Tracked | undefined {
    const tracked = this.tracked.get(view.path);
    return tracked && tracked.view === view ? tracked : undefined;
  }

  private onChanged(view: PathView): void {
    const tracked = this.followed(view);
    if (!tracked) return;
    if (!tracked.announced) return this.announce(tracked);
    tracked.dirty = true;
    if (Date.now() - tracked.lastUpdateAt >= this.timings.updateIntervalMs) this.sendUpdate(tracked);
  }

  /** The first word about a source is `add`, before any of its lines. */
  private announce(tracked: Tracked): void {
    if (tracked.announced || this.tracked.get(tracked.view.path) !== tracked) return;
    tracked.announced = true;
    tracked.lastUpdateAt = Date.now();
    this.sink.sourceChanged('add', tracked.view.info());
  }

  private sendUpdate(tracked: Tracked): void {
    tracked.dirty = false;
    tracked.lastUpdateAt = Date.now();
    this.sink.sourceChanged('update', tracked.view.info());
  }

  /** The safety timer: re-check every file (a stat each, all at once; a look where it changed), send due updates, drop files long gone from a --dir, find late dirs. */
  private tick(): void {
    const now = Date.now();
    void this.rewatchDirs();
    for (const tracked of this.tracked.values()) {
      const { view } = tracked;
      const missingSince = view.missingSince;
      if (!this.files.has(view.path) && (view.currentState === 'waiting' || view.currentState === 'deleted') && missingSince !== null && now - missingSince >= this.timings.removedAfterMs) {
        void this.drop(tracked);
        continue;
      }
      void view.checkIfChanged();
      if (view.sampleRates(now)) tracked.dirty = true;
      if (tracked.dirty && tracked.announced && now - tracked.lastUpdateAt >= this.timings.updateIntervalMs) this.sendUpdate(tracked);
    }
  }

  /** Stops following a file; resolves once its fds are closed. */
  private drop(tracked: Tracked): Promise<void> {
    const { view } = tracked;
    this.tracked.delete(view.path);
    this.byId.delete(view.id);
    if (tracked.location !== undefined && this.locations.get(tracked.location) === tracked) this.locations.delete(tracked.location);
    this.droppedSeqs.remember(view.id, view.lastSeq);
    const closed = view.close();
    if (tracked.announced) this.sink.sourceChanged('remove', { ...view.info(), state: 'removed' });
    return closed;
  }
}

/** Was the file at `path` born at `since` or later? True when it cannot tell (no birth time, or gone). */
async function createdSince(path: string, since: number): Promise<boolean> {
  try {
    const { birthtimeMs } = await stat(path);
    // File times come from the kernel's coarse clock, which can trail Date.now() by a tick or more.
    return birthtimeMs === 0 || birthtimeMs >= since - BIRTH_CLOCK_SLACK_MS;
  } catch {
    return true; // gone already: if it comes back it is new anyway
  }
}

/** Why a root is not watched at start, in one line: missing, or not a folder. */
async function notWatchedYet(dir: string, label: string): Promise<string> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  return exists
    ? `${label} is not a directory; its files are followed once it is one`
    : `${label} does not exist (yet); its files are followed once it does`;
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
