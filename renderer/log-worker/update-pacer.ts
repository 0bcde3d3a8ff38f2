// One update in flight: the worker sends the page a view update only after the page said (`frame`) that it
// drew the last one, and only when something changed; until then changes accumulate in the views.

export class UpdatePacer {
  /** The page can take an update; true at first, since it has none yet. */
  private pageReady = true;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `send` posts an update when anything changed, and says whether it did. */
  constructor(private readonly send: () => boolean) {}

  /** The page drew the last update and can take the next. */
  frame(): void {
    this.pageReady = true;
    this.schedule();
  }

  /** Something a view shows changed. */
  changed(): void {
    if (this.pageReady) this.schedule();
  }

  /** A macrotask later, so that a burst of stream events handled back to back goes out as one update. */
  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pageReady && this.send()) this.pageReady = false;
    }, 0);
  }
}
