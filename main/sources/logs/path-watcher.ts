// One chokidar watcher that never takes the process down: its errors become warnings, and when the OS runs
// out of watch handles (EMFILE, ENOSPC: the inotify limits) it is rebuilt with polling, which needs none.
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { POLL_INTERVAL_MS } from './limits';

export type WatchEventName = 'add' | 'change' | 'unlink';

export interface PathWatcherOptions {
  paths: string[];
  /** What is watched, in the user's words, for warnings: `--dir /var/log`. */
  label: string;
  depth?: number;
  poll: boolean;
  ignored?: (path: string, stats?: Stats) => boolean;
  /** Only a hint that something may have changed at `path`: chokidar merges and drops events. */
  onEvent(event: WatchEventName, path: string): void;
  warn(message: string): void;
}

/** Errors that mean "no more OS watch handles": polling still works. */
const OUT_OF_WATCHES = new Set(['EMFILE', 'ENFILE', 'ENOSPC']);
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

  /** Resolves when the initial scan is done (every file there has had its `add`). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.markReady();
    await this.watcher.close();
  }

  private create(): FSWatcher {
    const { paths, depth, ignored } = this.options;
    const watcher = watch(paths, {
      // The owner (the server) keeps the process alive, not the watchers: chokidar 5 can leave an fs.watch
      // handle behind when it is closed while events are in flight, which must not stop the process exiting.
      persistent: false,
      ignoreInitial: false,
      usePolling: this.polling,
      interval: POLL_INTERVAL_MS,
      binaryInterval: POLL_INTERVAL_MS,
      ...(depth === undefined ? {} : { depth }),
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
    if (OUT_OF_WATCHES.has(code) && !this.polling) {
      warn(`${label}: the system is out of file watches (${code}); polling instead, once a second`);
      this.polling = true;
      const old = this.watcher;
      this.watcher = this.create();
      void old.close().catch(() => undefined);
      return;
    }
    // One warning per kind of error: a flapping watcher must not flood the operator's terminal.
    if (this.warnedCodes.has(code)) return;
    this.warnedCodes.add(code);
    warn(`${label}: watching failed (${code}): ${err.message}; files already followed are still re-checked once a second`);
  }
}
