// One chokidar watcher that never takes the process down: its errors become warnings, and when the OS runs
// out of watch handles (ENOSPC: the inotify limit; EMFILE/ENFILE: open files) it is rebuilt with polling.
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { watch as watchFolder, type FSWatcher as FolderWatcher, type Stats } from 'node:fs';
import { join } from 'node:path';

export type WatchEventName = 'add' | 'change' | 'unlink';

export interface PathWatcherOptions {
  paths: string[];
  /** What is watched, in the user's words, for warnings: `--dir /var/log`. */
  label: string;
  depth?: number;
  poll: boolean;
  /** How often chokidar polls, when it polls. */
  pollIntervalMs: number;
  /**
   * Descend symlinked folders, and report a symlink to a file as that file (chokidar's default, true). False:
   * a symlink is reported as itself (`add` with its lstat, `change` when its target changes), never descended.
   */
  followSymlinks?: boolean;
  ignored?: (path: string, stats?: Stats) => boolean;
  /** Only a hint that something may have changed at `path`: chokidar merges and drops events. */
  onEvent(event: WatchEventName, path: string): void;
  /**
   * A folder (one of `paths`) whose files' writes are told to `onWrite` before chokidar hears of them: see
   * `watchWrites`. Not when polling.
   */
  writesIn?: string;
  /** A file directly in `writesIn` was written to (or truncated, or its metadata changed). A hint only. */
  onWrite?(path: string): void;
  warn(message: string): void;
}

/** Errors that mean "no more OS watch handles", in the operator's words: polling needs none. */
const OUT_OF_WATCHES = new Map([
  ['ENOSPC', 'the system is out of file watches (ENOSPC; see fs.inotify.max_user_watches)'],
  ['EMFILE', 'this process has too many open files (EMFILE; see ulimit -n)'],
  ['ENFILE', 'the system has too many open files (ENFILE)'],
]);
const FILE_EVENTS = new Set<string>(['add', 'change', 'unlink']);

export class PathWatcher {
  private watcher: FSWatcher;
  private writes: FolderWatcher | null = null;
  private polling: boolean;
  private readonly warnedCodes = new Set<string>();
  private readonly readyPromise: Promise<void>;
  private markReady!: () => void;
  private closed = false;

  constructor(private readonly options: PathWatcherOptions) {
    this.polling = options.poll;
    this.readyPromise = new Promise((resolve) => (this.markReady = resolve));
    this.watcher = this.create();
  }

  /** Resolves when the initial scan is done (every file there has had its `add`), or when it cannot finish. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.markReady();
    this.unwatchWrites();
    await closeQuietly(this.watcher);
  }

  private create(): FSWatcher {
    this.watchWrites();
    const { paths, depth, ignored, followSymlinks } = this.options;
    const watcher = watch(paths, {
      // The owner (the server) keeps the process alive, not the watchers: chokidar 5 can leave an fs.watch
      // handle behind when it is closed while events are in flight, which must not stop the process exiting.
      persistent: false,
      ignoreInitial: false,
      usePolling: this.polling,
      interval: this.options.pollIntervalMs,
      binaryInterval: this.options.pollIntervalMs,
      ...(depth === undefined ? {} : { depth }),
      ...(followSymlinks === undefined ? {} : { followSymlinks }),
      ...(ignored ? { ignored } : {}),
    });
    watcher.on('all', (event, path) => {
      if (FILE_EVENTS.has(event)) this.options.onEvent(event as WatchEventName, path);
    });
    watcher.on('ready', () => this.markReady());
    watcher.on('error', (err) => this.onError(err as NodeJS.ErrnoException));
    return watcher;
  }

  /**
   * chokidar reads a folder again (a readdir, a stat of each entry) on every event in it, a write too, and
   * it does so before any watch made after its own hears of that write: inotify tells a folder's watchers
   * before its files', and one watch's in the order they were made. That is 0.3 ms or more per write, in
   * the way of the read. A plain watch of the folder, made before chokidar's, is told first. Its `rename`s
   * are left to chokidar (`add`, `unlink`) and to the held file's own watch.
   */
  private watchWrites(): void {
    const { writesIn, onWrite } = this.options;
    if (writesIn === undefined || !onWrite || this.polling || this.writes) return;
    try {
      const writes = watchFolder(writesIn, { persistent: false }, (event, name) => {
        if (event === 'change' && name) onWrite(join(writesIn, name));
      });
      // A hint only: when it fails, chokidar and the held files' watches still tell.
      writes.on('error', () => this.unwatchWrites());
      this.writes = writes;
    } catch {
      this.writes = null;
    }
  }

  private unwatchWrites(): void {
    this.writes?.close();
    this.writes = null;
  }

  private onError(err: NodeJS.ErrnoException): void {
    const code = err.code ?? 'error';
    const { label, warn } = this.options;
    if (this.closed) return;
    const outOfWatches = OUT_OF_WATCHES.get(code);
    if (outOfWatches && !this.polling) {
      warn(`${label}: ${outOfWatches}; polling instead, once a second`);
      // Said once: polling can hit the same limit again (listing a directory takes an fd).
      this.warnedCodes.add(code);
      this.polling = true;
      this.unwatchWrites();
      const old = this.watcher;
      this.watcher = this.create();
      void closeQuietly(old);
      return;
    }
    // chokidar never reports `ready` once a directory listing failed (its readdirp stream ends in that error,
    // not in its end); an fs.watch error does not hold it up. The files found so far have had their `add`.
    if (err.syscall !== 'watch') this.markReady();
    // One warning per kind of error: a flapping watcher must not flood the operator's terminal.
    if (this.warnedCodes.has(code)) return;
    this.warnedCodes.add(code);
    warn(`${label}: watching failed (${code}): ${err.message}; files already followed are still re-checked once a second`);
  }
}

/**
 * chokidar's close() drops every listener, its `error` one too, while work it started may still fail; an
 * `error` emitted with no listener would throw and take the process down.
 */
function closeQuietly(watcher: FSWatcher): Promise<void> {
  const closing = watcher.close().catch(() => undefined);
  watcher.on('error', () => undefined);
  return closing;
}
