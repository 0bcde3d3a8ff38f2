// In-process consumers of the log lines (the desktop shell's alerts and tray), called synchronously with
// every batch of lines the sources hand to the hub. A listener that throws is reported once and kept: it
// must never stop ingestion.
import type { LogLine, SourceInfo } from '../../protocol/events';

/**
 * `source` is the source's state as of this batch (undefined if it is no longer followed); `lines` are the
 * objects the hub publishes, so they must not be changed. `live` is false for a backfill (a file's last
 * lines, read when a root is added), which is history, not news.
 */
export type LinesListener = (source: SourceInfo | undefined, sourceId: string, lines: readonly LogLine[], live: boolean) => void;

export class LineTaps {
  /** Each listener, and whether its failure was reported. */
  private readonly listeners = new Map<LinesListener, { warned: boolean }>();

  constructor(
    private readonly describe: (sourceId: string) => SourceInfo | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /** False when nobody listens: the hot path then skips `emit` altogether. */
  get active(): boolean {
    return this.listeners.size > 0;
  }

  /** Returns the unsubscribe function. */
  add(listener: LinesListener): () => void {
    const entry = { warned: false };
    this.listeners.set(listener, entry);
    return () => {
      if (this.listeners.get(listener) === entry) this.listeners.delete(listener);
    };
  }

  emit(sourceId: string, lines: readonly LogLine[], live: boolean): void {
    const source = this.describe(sourceId);
    for (const [listener, state] of this.listeners) {
      try {
        listener(source, sourceId, lines, live);
      } catch (err) {
        if (state.warned) continue;
        state.warned = true;
        this.warn(`a log-lines listener failed (not reported again): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
