// Rows whose JSON the user expanded, by absolute index: bounded, the oldest expansion closes first.

export class ExpandedRows {
  private readonly open = new Set<number>();

  constructor(private readonly max: number) {}

  has(index: number): boolean {
    return this.open.has(index);
  }

  toggle(index: number): void {
    if (this.open.delete(index)) return;
    this.open.add(index);
    // A Set iterates in insertion order: the first one is the oldest expansion.
    if (this.open.size > this.max) this.open.delete(this.open.values().next().value!);
  }

  clear(): void {
    this.open.clear();
  }
}
