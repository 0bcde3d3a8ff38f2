// The last seq of sources removed in this run, so a source that comes back (a file deleted and created
// again, a folder removed and added) never gives out a seq twice: a client resuming with `since` would take
// the repeat for a line it has. Bounded: an id forgotten past DROPPED_SEQS_KEPT is covered by a high-water
// mark instead, which only makes a new source's numbering start higher (seq need only grow per source).
import { DROPPED_SEQS_KEPT } from './limits';

export class DroppedSeqs {
  private readonly lastSeq = new Map<string, number>();
  /** The highest last seq of any forgotten source. */
  private forgottenCeiling = 0;

  constructor(private readonly kept = DROPPED_SEQS_KEPT) {}

  remember(id: string, seq: number): void {
    this.lastSeq.delete(id); // re-inserted: the map's order is oldest first
    this.lastSeq.set(id, seq);
    if (this.lastSeq.size <= this.kept) return;
    const [oldest, oldestSeq] = this.lastSeq.entries().next().value!;
    this.lastSeq.delete(oldest);
    this.forgottenCeiling = Math.max(this.forgottenCeiling, oldestSeq);
  }

  /** Where a source with this id starts its seq (and forgets it: the source is followed again). */
  take(id: string): number {
    const seq = this.lastSeq.get(id);
    this.lastSeq.delete(id);
    return seq ?? this.forgottenCeiling;
  }
}
