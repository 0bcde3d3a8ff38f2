// Which names of a per-name metric (cores, interfaces, disks, log sources) get datasets of their own: the
// most active few, so 64 cores or 40 log files still make a legible chart. What the rest become (summed into
// "other", or left to the total line) is the chart's call.

/** A name already shown keeps its place unless a rival is this many times as active: no flapping legend. */
const STICKINESS = 1.5;

export class TopNames {
  private shown: string[] = [];
  private lastNames = '';
  private lastEpoch = '';

  /** `order` sorts the chosen names for display (the legend's order), not by activity. */
  constructor(
    private readonly limit: number,
    private readonly order: (a: string, b: string) => number,
  ) {}

  /**
   * The names to show. The choice is kept until the set of names or `epoch` changes (the caller moves
   * `epoch` every few seconds and whenever the time range does), so activity is not measured every frame.
   */
  pick(names: readonly string[], activity: (name: string) => number, epoch: string): readonly string[] {
    const key = names.join('\n');
    if (key === this.lastNames && (epoch === this.lastEpoch || names.length <= this.limit)) return this.shown;
    this.lastNames = key;
    this.lastEpoch = epoch;
    if (names.length <= this.limit) {
      this.shown = [...names].sort(this.order);
      return this.shown;
    }
    const was = new Set(this.shown);
    this.shown = names
      .map((name) => ({ name, score: activity(name) * (was.has(name) ? STICKINESS : 1) }))
      .sort((a, b) => b.score - a.score || this.order(a.name, b.name))
      .slice(0, this.limit)
      .map((entry) => entry.name)
      .sort(this.order);
    return this.shown;
  }
}

/** "eth2" before "eth10", "2" before "10". */
export const naturalOrder = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });
