// Event ids are `<epoch>-<n>`: the epoch names one server run, n counts its events from 1.
// A resume id from another run is recognised by its epoch and met with `reset`, never with wrong data.

export interface ParsedEventId {
  epoch: string;
  n: number;
}

const ID_PATTERN = /^([0-9a-z]{1,32})-(0|[1-9][0-9]{0,15})$/;

export function formatEventId(epoch: string, n: number): string {
  return `${epoch}-${n}`;
}

/** Returns null for anything that is not a well-formed id (clients may send garbage). */
export function parseEventId(id: string): ParsedEventId | null {
  const m = ID_PATTERN.exec(id);
  if (!m) return null;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? { epoch: m[1]!, n } : null;
}

/** A fresh epoch: base-36 start time plus randomness, so two runs in the same millisecond differ. */
export function newEpoch(now = Date.now(), random = Math.random): string {
  return now.toString(36) + Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
}
