// The positions an agent keeps in Redis (protocol/host-streams.ts: SourcePosition): written with the entries
// they describe, read back when it starts, and turned into the tailer's resume points.
import { createHash } from 'node:crypto';
import type { ResumePoint, SourcePosition } from '../../../protocol/host-streams';

/** Where a batch of lines ends in its file, as the tailer says (main/sources/logs/path-view.ts: LinesPlace). */
export interface BatchPlace {
  /** `dev:ino` */
  file: string;
  print: Buffer;
  end: number;
  /** Every text of the batch is plain (protocol/encode.ts PLAIN_TEXT): its entry's JSON is written by hand. */
  plain?: boolean;
}


const printHashes = new WeakMap<Buffer, string>();

/** Hex SHA-256 of a print; a print is a buffer that never changes (a longer print is a new buffer), so kept. */
export function hashPrint(print: Buffer): string {
  let hash = printHashes.get(print);
  if (hash === undefined) {
    hash = createHash('sha256').update(print).digest('hex');
    printHashes.set(print, hash);
  }
  return hash;
}

export function positionOf(path: string, place: BatchPlace, seq: number): SourcePosition {
  const [dev, ino] = place.file.split(':');
  return { path, dev: Number(dev), ino: Number(ino), print: hashPrint(place.print), printBytes: place.print.length, offset: place.end, seq };
}

/** A stored position, checked field by field (anything else in the hash is ignored); null when unusable. */
export function parsePosition(text: string): SourcePosition | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const p = value as Record<string, unknown>;
  const whole = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (typeof p.path !== 'string' || typeof p.print !== 'string' || !/^[0-9a-f]{64}$/.test(p.print)) return null;
  if (![p.dev, p.ino, p.printBytes, p.offset, p.seq].every(whole)) return null;
  return { path: p.path, dev: p.dev as number, ino: p.ino as number, print: p.print, printBytes: p.printBytes as number, offset: p.offset as number, seq: p.seq as number };
}

export function resumeFrom(position: SourcePosition): ResumePoint {
  return {
    dev: position.dev,
    ino: position.ino,
    offset: position.offset,
    seq: position.seq,
    printBytes: position.printBytes,
    hasPrint: (firstBytes) => firstBytes.length === position.printBytes && createHash('sha256').update(firstBytes).digest('hex') === position.print,
  };
}
