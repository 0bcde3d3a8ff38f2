// Rows picked for copying, by absolute index: a click picks one row (a second click on it drops it),
// shift-click extends from the last row clicked.

interface RowRange {
  first: number;
  last: number;
}

export class RowSelection {
  private pivot: number | null = null;
  private first = 0;
  private last = -1;

  click(index: number, extend: boolean): void {
    if (extend && this.pivot !== null) {
      this.first = Math.min(this.pivot, index);
      this.last = Math.max(this.pivot, index);
      return;
    }
    if (this.first === index && this.last === index) {
      this.clear();
      return;
    }
    this.pivot = index;
    this.first = index;
    this.last = index;
  }

  has(index: number): boolean {
    return index >= this.first && index <= this.last;
  }

  get range(): RowRange | null {
    return this.last >= this.first ? { first: this.first, last: this.last } : null;
  }

  clear(): void {
    this.pivot = null;
    this.first = 0;
    this.last = -1;
  }
}
