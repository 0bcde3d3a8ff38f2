// Keeps a held pane on the reader's moment when its rows are renumbered (the filter changed, so the old
// indexes mean nothing): it asks the worker where that time now is and puts the anchor there. A pane
// following the newest line needs none of it. No DOM: the pane gives it its ScrollModel and the worker's seek.
import type { ViewUpdate } from '../worker-channel/worker-protocol';
import type { ScrollModel } from './scroll-model';
import { rowAt, slotRange } from './view-update';

interface ReanchorDeps {
  /** The first row at or after `ts` in the pane's view, as the worker answers it. */
  seek(ts: number): Promise<number | null>;
  /** The update the pane holds now. */
  latest(): ViewUpdate | null;
  /** The anchor moved: the pane must draw again. */
  changed(): void;
}

export class Reanchor {
  private seekingValue = false;
  /** Answers to an older seek (the rows were renumbered again meanwhile) are ignored. */
  private token = 0;
  /** The reader's time, kept across renumberings that come before the answer. */
  private heldTs: number | null = null;

  constructor(
    private readonly model: ScrollModel,
    private readonly deps: ReanchorDeps,
  ) {}

  /** Waiting for the worker's answer: the pane draws nothing meanwhile (its indexes are stale). */
  get seeking(): boolean {
    return this.seekingValue;
  }

  /** The rows were renumbered; `previous` is the update the anchor was an index of. */
  renumbered(previous: ViewUpdate): void {
    if (this.model.state === 'follow') return;
    const anchorRow = rowAt(previous, Math.max(this.model.anchor, previous.firstIndex));
    const ts = this.seekingValue ? this.heldTs : (anchorRow?.ts ?? null);
    if (ts === null) {
      this.model.follow();
      return;
    }
    this.heldTs = ts;
    this.seekingValue = true;
    const token = ++this.token;
    void this.deps.seek(ts).then((index) => {
      if (token !== this.token) return;
      this.seekingValue = false;
      const latest = this.deps.latest();
      if (latest !== null) {
        const { lo, hi } = slotRange(latest);
        this.model.setRange(lo, hi);
      }
      if (index === null) this.model.follow();
      else this.model.jumpTo(index);
      this.model.restartCount();
      this.deps.changed();
    });
  }

  /** The pane is gone: an answer still on its way changes nothing. */
  cancel(): void {
    this.token++;
  }
}
