// Event ids are `<epoch>-<n>`: the epoch names one server run, n counts its events from 1.
// A resume id from another run is recognised by its epoch and met with `reset`, never with wrong data.
//
// On a server that reads hosts' streams from Redis (docs/many-hosts.md, "Ids"), an id is `<epoch>-<n>.<cursor>`:
// the cursor is every host stream's position as of that event, `<host>=<ms>-<seq>` joined by `,`, hosts in name
// order (empty before the first host). It means the same thing to every server reading the same Redis, so a
// client's id resumes its hosts' lines exactly on any of them.
import { isHostName } from './host-streams';

/** Where each host's stream stands: host name → Redis stream entry id (`<ms>-<seq>`). */
export type StreamCursor = ReadonlyMap<string, string>;

export interface ParsedEventId {
  epoch: string;
  n: number;
  /** Present on ids of a server reading Redis (possibly empty: no host yet). */
  cursor?: StreamCursor;
}

/** Bounds of a cursor a client may send back: hosts named, and characters of the whole id. */
export const CURSOR_LIMITS = {
  maxHosts: 1_024,
  /** 1,024 hosts of 63-character names at 20-digit positions fit in about 110 KiB; 64 KiB covers ~600 of them. */
  maxIdChars: 64 * 1024,
} as const;

const ID_PATTERN = /^([0-9a-z]{1,32})-(0|[1-9][0-9]{0,15})(?:\.(.*))?$/s;
const STREAM_ID_PATTERN = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/;

export function formatEventId(epoch: string, n: number, cursor?: string): string {
  return cursor === undefined ? `${epoch}-${n}` : `${epoch}-${n}.${cursor}`;
}

/** Returns null for anything that is not a well-formed id (clients may send garbage). */
export function parseEventId(id: string): ParsedEventId | null {
  if (typeof id !== 'string' || id.length > CURSOR_LIMITS.maxIdChars) return null;
  const m = ID_PATTERN.exec(id);
  if (!m) return null;
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n)) return null;
  if (m[3] === undefined) return { epoch: m[1]!, n };
  const cursor = parseCursor(m[3]);
  return cursor ? { epoch: m[1]!, n, cursor } : null;
}

/** `a=1-0,b=2-5` → Map; null for anything malformed, out of name order, repeated, or past CURSOR_LIMITS. */
export function parseCursor(text: string): Map<string, string> | null {
  const cursor = new Map<string, string>();
  if (text === '') return cursor;
  const parts = text.split(',', CURSOR_LIMITS.maxHosts + 1);
  if (parts.length > CURSOR_LIMITS.maxHosts) return null;
  let previous = '';
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const host = part.slice(0, eq);
    const position = part.slice(eq + 1);
    if (!isHostName(host) || !STREAM_ID_PATTERN.test(position)) return null;
    if (cursor.size > 0 && !(host > previous)) return null;
    cursor.set(host, position);
    previous = host;
  }
  return cursor;
}

/** The cursor text of positions given in host name order (the caller keeps them sorted). */
export function formatCursor(cursor: Iterable<readonly [string, string]>): string {
  let text = '';
  for (const [host, position] of cursor) text += (text === '' ? '' : ',') + host + '=' + position;
  return text;
}

/** The cursor text of any map: sorted here. */
export function formatCursorMap(cursor: StreamCursor): string {
  return formatCursor([...cursor].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Orders two stream entry ids (`<ms>-<seq>`, each up to 20 digits): negative, 0 or positive. */
export function compareStreamIds(a: string, b: string): number {
  const da = a.indexOf('-');
  const db = b.indexOf('-');
  return compareDigits(a.slice(0, da), b.slice(0, db)) || compareDigits(a.slice(da + 1), b.slice(db + 1));
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A fresh epoch: base-36 start time plus randomness, so two runs in the same millisecond differ. */
export function newEpoch(now = Date.now(), random = Math.random): string {
  return now.toString(36) + Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
}
