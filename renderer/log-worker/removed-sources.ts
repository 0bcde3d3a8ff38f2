// Which removed sources the page keeps listing: a source the server stopped following stays in the page's
// source list and Sources menu, marked removed, while the views hold a line of it (so its lines keep their
// name); then the page is told to let go of it. The page applies the same rules to its SourceDirectory.
import type { SourceEventData, SourceInfo } from '../../protocol/events';

export const REMOVED_SOURCE_LIMITS = {
  /** Removed sources kept at most; past it the one removed longest ago is let go of first. */
  maxSources: 10_000,
  /**
   * How long a source that `hello` lists as removed may wait for its lines (the backfill that follows the
   * hello) before holding none of them lets it go.
   */
  backfillWaitMs: 30_000,
} as const;

export class RemovedSources {
  /** Sources listed as followed, in any state but removed. */
  private followed = new Set<string>();
  /** Sources listed as removed → until when they may wait for lines (0: their lines came already). */
  private readonly removed = new Map<string, number>();

  get size(): number {
    return this.removed.size;
  }

  /**
   * A new list: a source it marks removed is kept (waiting for its backfill when none of its lines is held);
   * one listed before and missing now was removed meanwhile (a restarted server, a resume after it was forgotten).
   */
  hello(sources: readonly SourceInfo[], holds: (source: string) => boolean, now: number): void {
    const listed = new Set(sources.map((source) => source.id));
    for (const id of this.followed) if (!listed.has(id)) this.remove(id, 0);
    this.followed = new Set();
    for (const source of sources) {
      if (source.state !== 'removed') {
        this.followed.add(source.id);
        this.removed.delete(source.id);
      } else if (!this.removed.has(source.id)) {
        this.remove(source.id, holds(source.id) ? 0 : now + REMOVED_SOURCE_LIMITS.backfillWaitMs);
      }
    }
  }

  /** A `source` event: `remove` comes after every line of its source; any other op means it is followed (again). */
  sourceEvent(data: SourceEventData): void {
    const { id } = data.source;
    if (data.op === 'remove') {
      this.followed.delete(id);
      this.remove(id, 0);
    } else {
      this.followed.add(id);
      this.removed.delete(id);
    }
  }

  /** Lines of `source` arrived: a removed source waiting for them no longer needs to. */
  linesArrived(source: string): void {
    if (this.removed.get(source)) this.removed.set(source, 0);
  }

  /** The removed sources to let go of now (no view holds a line of them), and those past the bound. */
  release(holds: (source: string) => boolean, now: number): string[] {
    const released: string[] = [];
    for (const [id, waitUntil] of this.removed) {
      if (this.removed.size - released.length > REMOVED_SOURCE_LIMITS.maxSources || (waitUntil <= now && !holds(id))) released.push(id);
    }
    for (const id of released) this.removed.delete(id);
    return released;
  }

  private remove(id: string, waitUntil: number): void {
    this.removed.delete(id);
    this.removed.set(id, waitUntil);
  }
}
