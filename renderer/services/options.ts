// The numeric options of the page's parts (timings, limits), checked once at construction as `ws` does: a
// bad value fails at once with an error naming the part, the option and the value, not later as a timer
// that fires at once or never. No DOM: the log worker and the Node tests use it too.

export class OptionError extends RangeError {
  readonly code = 'ERR_TAILWATCH_OPTION';

  constructor(
    /** The part the option belongs to: `StreamClient`, `LogPanel`… */
    readonly owner: string,
    readonly option: string,
    message: string,
  ) {
    super(`${owner}: option ${option} ${message}`);
  }
}

export interface OptionBound {
  /** The least value allowed. */
  min: number;
  /** A count, not a duration: whole numbers only. */
  whole?: boolean;
}

/** Milliseconds a timer waits: at least 1 (0 would spin, a negative one fires at once). */
export const DURATION: OptionBound = { min: 1 };
/** A count of things: a whole number of at least 1. */
export const COUNT: OptionBound = { min: 1, whole: true };

/**
 * `given`'s value of every option named in `defaults` (absent or undefined: the default), each checked
 * against its bound. Other properties of `given` are not looked at.
 */
export function withDefaults<K extends string>(
  owner: string,
  defaults: Readonly<Record<K, number>>,
  bounds: Readonly<Record<K, OptionBound>>,
  given: Partial<Record<K, unknown>>,
): Record<K, number> {
  const resolved = { ...defaults } as Record<K, number>;
  for (const option of Object.keys(defaults) as K[]) {
    const value = given[option] ?? defaults[option];
    const bound = bounds[option];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < bound.min || (bound.whole === true && !Number.isInteger(value))) {
      const expected = bound.whole === true ? `a whole number of at least ${bound.min}` : `a number of at least ${bound.min}`;
      throw new OptionError(owner, option, `must be ${expected}, got ${describe(value)}`);
    }
    resolved[option] = value;
  }
  return resolved;
}

/** A given value as an error quotes it: short, and never the whole of a large object. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
