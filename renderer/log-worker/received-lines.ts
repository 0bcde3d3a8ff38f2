// How many lines of each source the page received since they were last cleared. A view made later (a pane
// split off, the panes merged again) holds only what the other views still hold; the rest of what was
// received counts as dropped, so its "older lines dropped" marker tells the truth from its first update.

const RECEIVED_LIMITS = {
  /** Sources counted; past it the one counted longest is forgotten (names under a --dir come and go). */
  maxSources: 10_000,
} as const;

export class ReceivedLines {
  private readonly counts = new Map<string, number>();

  /** Counts `count` lines of `source` received (one batch: one map update, not one per line). */
  add(source: string, count: number): void {
    this.counts.set(source, (this.counts.get(source) ?? 0) + count);
    if (this.counts.size > RECEIVED_LIMITS.maxSources) this.counts.delete(this.counts.keys().next().value!);
  }

  /** Lines received of the sources `shows` accepts. */
  of(shows: (source: string) => boolean): number {
    let total = 0;
    for (const [source, count] of this.counts) if (shows(source)) total += count;
    return total;
  }

  /** The lines of the sources `shows` accepts were cleared (by the user): they are not dropped ones. */
  forget(shows: (source: string) => boolean): void {
    for (const source of [...this.counts.keys()]) if (shows(source)) this.counts.delete(source);
  }

  clear(): void {
    this.counts.clear();
  }
}
