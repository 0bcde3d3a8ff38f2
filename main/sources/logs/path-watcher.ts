// One chokidar watcher that never takes the process down: its errors become warnings, and when the OS runs
// out of watch handles (ENOSPC: the inotify limit; EMFILE/ENFILE: open files) it is rebuilt with polling.
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';

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
    await closeQuietly(this.watcher);
  }

  private create(): FSWatcher {
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
