// The last seq of sources removed in this run, so a source that comes back (a file deleted and created
// again, a folder removed and added) never gives out a seq twice: a client resuming with `since` would take
// the repeat for a line it has.
//
// Bounded: past DROPPED_SEQS_KEPT the oldest id is forgotten, its seq folded into a high-water mark, and the
// id marked in a fixed-size Bloom filter. A source whose id may have been forgotten starts above the mark (a
// jump in its seq, never a repeat); any other new source starts at 1, as the protocol promises. A false
// positive (rare: about 1 in 300 after 1,000 forgotten ids, 1 in 20 after 10,000) only starts a new source high.
import { DROPPED_SEQS_KEPT } from './limits';

/** Bits of the filter of forgotten ids (8 KiB). */
const FILTER_BITS = 1 << 16;
const FILTER_HASHES = 3;

export class DroppedSeqs {
  private readonly lastSeq = new Map<string, number>();
  /** The highest last seq of any forgotten source. */
  private forgottenCeiling = 0;
  private readonly forgotten = new Uint8Array(FILTER_BITS / 8);

  constructor(private readonly kept = DROPPED_SEQS_KEPT) {}

  remember(id: string, seq: number): void {
    this.lastSeq.delete(id); // re-inserted: the map's order is oldest first
    this.lastSeq.set(id, seq);
    if (this.lastSeq.size <= this.kept) return;
    const [oldest, oldestSeq] = this.lastSeq.entries().next().value!;
    this.lastSeq.delete(oldest);
    this.forgottenCeiling = Math.max(this.forgottenCeiling, oldestSeq);
    for (const bit of filterBits(oldest)) this.forgotten[bit >> 3]! |= 1 << (bit & 7);
  }

  /** Where a source with this id starts its seq (and forgets it: the source is followed again). */
  take(id: string): number {
    const seq = this.lastSeq.get(id);
    if (seq !== undefined) {
      this.lastSeq.delete(id);
      return seq;
    }
    const mayBeForgotten = filterBits(id).every((bit) => (this.forgotten[bit >> 3]! & (1 << (bit & 7))) !== 0);
    return mayBeForgotten ? this.forgottenCeiling : 0;
  }
}

/** FILTER_HASHES bit positions of `id`: FNV-1a with a different offset basis each. */
function filterBits(id: string): number[] {
  const bits: number[] = [];
  for (let k = 0; k < FILTER_HASHES; k++) {
    let hash = (0x811c9dc5 ^ Math.imul(k + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
    bits.push(hash % FILTER_BITS);
  }
  return bits;
}
