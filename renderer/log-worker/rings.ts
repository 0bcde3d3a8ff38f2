// First-in-first-out rings addressed by absolute position (an item keeps its number while older ones go, and
// older ones put back before the first take the numbers below it, negative ones too),
// growing by doubling up to their bound so that a view holding few rows does not reserve its whole buffer.

/** Slots a ring starts with. */
const RING_INITIAL_SLOTS = 1_024;

/** Object items: a view's rows. */
export class RowRing<T> {
  private slots: (T | undefined)[];
  private head = 0;
  private size = 0;
  private first = 0;

  constructor(readonly bound: number) {
    this.slots = new Array<T | undefined>(Math.min(bound, RING_INITIAL_SLOTS));
  }

  /** Position of the oldest item. */
  get start(): number {
    return this.first;
  }
  /** Position the next item gets. */
  get end(): number {
    return this.first + this.size;
  }
  get length(): number {
    return this.size;
  }

  /** The item at `position`, which must be in [start, end). */
  at(position: number): T {
    return this.slots[(this.head + position - this.first) % this.slots.length] as T;
  }

  /** Puts `item` in the place of the one at `position`, which must be in [start, end). */
  replace(position: number, item: T): void {
    this.slots[(this.head + position - this.first) % this.slots.length] = item;
  }

  /** Adds an item; the ring must hold fewer than `bound` (the caller shifts first, to see what goes). */
  push(item: T): void {
    if (this.size === this.slots.length) this.grow();
    this.slots[(this.head + this.size) % this.slots.length] = item;
    this.size++;
  }

  /** Adds an item before the oldest (older lines read from disk): it takes position `start − 1`. Same bound as push. */
  unshift(item: T): void {
    if (this.size === this.slots.length) this.grow();
    this.head = (this.head - 1 + this.slots.length) % this.slots.length;
    this.slots[this.head] = item;
    this.size++;
    this.first--;
  }

  /** Takes the newest item out (its position is given again); the ring must not be empty. */
  pop(): T {
    const index = (this.head + this.size - 1) % this.slots.length;
    const item = this.slots[index] as T;
    this.slots[index] = undefined;
    this.size--;
    return item;
  }

  /** Takes the oldest item out; the ring must not be empty. */
  shift(): T {
    const item = this.slots[this.head] as T;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.size--;
    this.first++;
    return item;
  }

  /** Lets go of every item (and of the memory for them); positions carry on, so none is ever reused. */
  clear(): void {
    this.slots = new Array<T | undefined>(Math.min(this.bound, RING_INITIAL_SLOTS));
    this.head = 0;
    this.first += this.size;
    this.size = 0;
  }

  private grow(): void {
    const slots = new Array<T | undefined>(Math.min(this.bound, this.slots.length * 2));
    for (let i = 0; i < this.size; i++) slots[i] = this.slots[(this.head + i) % this.slots.length];
    this.slots = slots;
    this.head = 0;
  }
}

/**
 * Numbers (row positions) in a Float64Array rather than an Int32Array: positions count every row a view
 * ever held, and at 100k lines/s they pass 2^31 in six hours; a double is exact up to 2^53.
 */
export class PositionRing {
  private slots: Float64Array;
  private head = 0;
  private size = 0;
  private first = 0;

  constructor(readonly bound: number) {
    this.slots = new Float64Array(Math.min(bound, RING_INITIAL_SLOTS));
  }

  get start(): number {
    return this.first;
  }
  get end(): number {
    return this.first + this.size;
  }
  get length(): number {
    return this.size;
  }

  /** The number at absolute index `index`, which must be in [start, end). */
  at(index: number): number {
    return this.slots[(this.head + index - this.first) % this.slots.length]!;
  }

  /** Adds a number; the ring must hold fewer than `bound`. */
  push(value: number): void {
    if (this.size === this.slots.length) this.grow();
    this.slots[(this.head + this.size) % this.slots.length] = value;
    this.size++;
  }

  /** Adds a number before the oldest, at index `start − 1`; the ring must hold fewer than `bound`. */
  unshift(value: number): void {
    if (this.size === this.slots.length) this.grow();
    this.head = (this.head - 1 + this.slots.length) % this.slots.length;
    this.slots[this.head] = value;
    this.size++;
    this.first--;
  }

  /** Drops the newest number; the ring must not be empty. */
  pop(): void {
    this.size--;
  }

  /** Drops the oldest number; the ring must not be empty. */
  shift(): void {
    this.head = (this.head + 1) % this.slots.length;
    this.size--;
    this.first++;
  }

  /** Empties the ring and numbers from 0 again (a rebuilt list starts over). Keeps its slots: it refills. */
  reset(): void {
    this.head = 0;
    this.first = 0;
    this.size = 0;
  }

  private grow(): void {
    const slots = new Float64Array(Math.min(this.bound, this.slots.length * 2));
    for (let i = 0; i < this.size; i++) slots[i] = this.slots[(this.head + i) % this.slots.length]!;
    this.slots = slots;
    this.head = 0;
  }
}
