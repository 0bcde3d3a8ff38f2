// The sources no longer followed whose lines the ring still holds. They stay listed, in state `removed`, in
// `hello` and /api/sources, so a client that is backfilled or resumes with those lines knows their name;
// each is forgotten when the ring lets go of its last line (see EventRing's per-source line counts).
import type { SourceEventData, SourceInfo } from '../../protocol/events';

export const REMOVED_SOURCE_LIMITS = {
  /**
   * Removed sources listed at most (besides: never more than the ring holds lines of). Past it the one
   * removed longest ago is forgotten and its lines still held show under their id. An entry is one
   * SourceInfo, a few hundred bytes: 4,096 cost about 2 MB at worst.
   */
  maxSources: 4_096,
} as const;

export class RemovedSources {
  /** In the order they were removed: the first is the one forgotten past the bound. */
  private readonly entries = new Map<string, SourceInfo>();

  /** `linesHeld`: the lines of a source the ring holds now. */
  constructor(
    private readonly linesHeld: (source: string) => number,
    private readonly maxSources: number = REMOVED_SOURCE_LIMITS.maxSources,
  ) {
    if (!Number.isSafeInteger(maxSources) || maxSources < 0) {
      throw new RangeError(`EventHub: option maxRemovedSources must be a whole number of at least 0, got ${maxSources}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * A `source` event went out (after the lines before it): `remove` lists the source while lines of it are
   * held; `add` or `update` means it is followed again, and the tailer's list has it from now on.
   */
  noteEvent(data: SourceEventData): void {
    const { id } = data.source;
    this.entries.delete(id);
    if (data.op !== 'remove' || this.linesHeld(id) === 0 || this.maxSources === 0) return;
    // Not followed any more: nothing is being read, whatever the last update said.
    this.entries.set(id, { ...data.source, state: 'removed', linesPerSec: 0, errorsPerSec: 0 });
    if (this.entries.size > this.maxSources) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The ring let go of the last line of `source`: O(1), called from the ring's eviction. */
  linesGone(source: string): void {
    this.entries.delete(source);
  }

  get(id: string): SourceInfo | undefined {
    return this.entries.get(id);
  }

  /**
   * The sources to list: `followed` (the tailer's list), then the removed ones it does not have. A source
   * found again is in `followed` before its `add` goes out: it is listed once, as followed.
   */
  withFollowed(followed: readonly SourceInfo[]): SourceInfo[] {
    const listed = [...followed];
    if (this.entries.size === 0) return listed;
    const ids = new Set(followed.map((source) => source.id));
    for (const [id, info] of this.entries) if (!ids.has(id)) listed.push(info);
    return listed;
  }
}
