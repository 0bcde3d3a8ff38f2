// Family `logs`: bytes through the tailer. Random bytes, invalid UTF-8, control, ANSI and bidi characters,
// NUL, CR alone, CRLF and lines past the line cap, appended in random chunk splits to new files under the
// --dir of an in-process server; and odd entries in that --dir (FIFOs, symlinks out of it, loops, folders
// named *.log, sockets, strange names).
// Oracles: every complete line written arrives exactly once, in order, with seq 1, 2, 3…, as the server is
// to decode it (line-splitter.ts: split on LF, one CR before it dropped, past --max-line-bytes cut and
// marked with the rest of the line dropped, invalid UTF-8 as U+FFFD), over a WebSocket client; an
// unfinished last line does not arrive; odd entries neither freeze the server nor show a line from
// outside the --dir.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import type { LogLine, WireEvent } from '../../protocol/events';
import { expect, sleep, withTimeout, type Family, type Property } from './harness';
import { checkServesGoodClient, expectAlive, startInProcess, type Target } from './targets';

/** Small, so that cut lines are common; the smallest the option takes is 256. */
const MAX_LINE_BYTES = 1024;
/** A new file's first 4 KiB are sniffed for NUL (binary files are not followed): the header line fills them. */
const SNIFF_BYTES = 4096;

// ---------------------------------------------------------------------------------------------------------
// The model: what the server is to make of the bytes of a file.

interface ExpectedLine {
  bytes: Buffer;
  cut: boolean;
}

/** The lines the bytes hold so far: every complete one, and a cut one for an unfinished tail past the cap. */
export function expectedLines(bytes: Buffer, max: number): ExpectedLine[] {
  const out: ExpectedLine[] = [];
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl;
    const line = bytes.subarray(start, end);
    if (line.length > max) out.push({ bytes: line, cut: true });
    else if (nl >= 0) out.push({ bytes: line.at(-1) === 0x0d ? line.subarray(0, -1) : line, cut: false });
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

/** The server decodes each line on its own with the WHATWG UTF-8 decoder, keeping U+FEFF (only a file's leading BOM goes; these files open with a header). */
const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

/** The length of the well-formed UTF-8 character starting at `at`, or 0. */
function charLength(bytes: Uint8Array, at: number): number {
  const b = bytes[at]!;
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n === 0 || at + n > bytes.length) return 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + n));
    return n;
  } catch {
    return 0;
  }
}

/**
 * A cut line's text: the first `max` bytes less what of them does not make a whole character. A character
 * split by the cut must not show as U+FFFD; any other ending within the last 3 bytes is fine.
 */
function cutTextFits(text: string, line: Buffer, max: number): boolean {
  for (let at = Math.max(0, max - 3); at < max; at++) {
    const n = charLength(line, at);
    if (n > 0 && at + n > max) return text === decode(line.subarray(0, at));
  }
  for (let k = max; k >= Math.max(0, max - 3); k--) if (text === decode(line.subarray(0, k))) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Generators.

const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 20 }).map((s) => [...Buffer.from(s, 'latin1')]) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map(utf8) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 8 }).map((b) => [...b]) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      [0x0a],
      [0x0d],
      [0x0d, 0x0a],
      [0x0a, 0x0a],
      [0x00],
      [0x1b, 0x5b, 0x33, 0x31, 0x6d],
      [0x1b, 0x5b, 0x30, 0x6d],
      [0x1b, 0x5d, 0x30, 0x3b, 0x78, 0x07],
      utf8('\u202E'),
      utf8('\u2066'),
      utf8('\u200B'),
      utf8('\uFEFF'),
      utf8('é'),
      utf8('😀'),
      [0xf0, 0x9f, 0x98],
      [0xe2, 0x82],
      [0xc3],
      [0x80],
      [0xff],
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0x7f, 0x08, 0x09, 0x0c],
      utf8('ERROR something failed'),
      utf8('{"level":"warn","msg":"x"}'),
      utf8('2024-01-31T12:00:00Z '),
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 200, max: 3000 })).map(([b, n]) => new Array<number>(n).fill(b)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('é', '😀', '中'), fc.integer({ min: 100, max: 1100 })).map(([c, n]) => utf8(c.repeat(n))) },
);

interface BytesInput {
  pieces: number[][];
  /** Offsets where the whole content is cut into separate appends. */
  cuts: number[];
  /** Pause after each append, ms. */
  pauses: number[];
}

const bytesInput: fc.Arbitrary<BytesInput> = fc.record({
  pieces: fc.array(piece, { minLength: 1, maxLength: 40 }),
  cuts: fc.array(fc.nat(), { maxLength: 8 }),
  pauses: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 8 }),
});

// ---------------------------------------------------------------------------------------------------------

/** Log lines per source, as a WebSocket client receives them. */
interface Collector {
  ws: WebSocket;
  lines: Map<string, LogLine[]>;
  all: LogLine[];
}

async function collect(target: Target, backfill = 0): Promise<Collector> {
  const ws = new WebSocket(`ws://${target.host}/api/ws`, { headers: { Authorization: `Bearer ${target.token}` } });
  const c: Collector = { ws, lines: new Map(), all: [] };
  let hello = false;
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const e = JSON.parse(data.toString()) as WireEvent;
    if (e.type === 'hello') hello = true;
    if (e.type !== 'log') return;
    const list = c.lines.get(e.source) ?? [];
    list.push(...e.lines);
    c.lines.set(e.source, list);
    c.all.push(...e.lines);
  });
  await withTimeout(new Promise((r) => ws.once('open', r)), 10_000, 'the collector to connect');
  ws.send(JSON.stringify({ type: 'subscribe', topics: ['logs'], backfill }));
  await withTimeout(
    (async () => {
      while (!hello) await sleep(5);
    })(),
    10_000,
    'the collector to get hello',
  );
  return c;
}

type OddKind = 'fifo' | 'symlink-out' | 'symlink-dir-out' | 'loop' | 'dangling' | 'dir-named-log' | 'socket' | 'odd-name' | 'deep';
interface OddEntry {
  kind: OddKind;
  name: string;
  /** Made this many times: a few FIFOs can take every thread of libuv's pool where one would not. */
  copies: number;
}

const oddEntry: fc.Arbitrary<OddEntry> = fc.record({
  kind: fc.constantFrom<OddKind>('fifo', 'symlink-out', 'symlink-dir-out', 'loop', 'dangling', 'dir-named-log', 'socket', 'odd-name', 'deep'),
  name: fc.oneof(
    fc.constantFrom('x.log', 'syslog', 'a\nb.log', '\u202Egol.txt', ' .log', '-.log', '..log', '*.log', '\\.log', 'é.log', '.hidden.log'),
    fc.integer({ min: 1, max: 240 }).map((n) => `${'n'.repeat(n)}.log`),
  ),
  copies: fc.integer({ min: 1, max: 6 }),
});
const oddEntries = fc.array(oddEntry, { minLength: 1, maxLength: 4 });

/** What odd entries left to look for and to clean up. */
interface Planted {
  /** Lines of files outside the --dir: none may arrive. */
  secrets: string[];
  /** Lines written once to a file inside the --dir that a symlink loop also leads to: each must arrive once. */
  plain: string[];
  fifos: string[];
  sockets: Server[];
}

/** Makes `entries` in `dir` (files they lead to in `outside`). */
async function plant(dir: string, outside: string, entries: readonly OddEntry[]): Promise<Planted> {
  const planted: Planted = { secrets: [], plain: [], fifos: [], sockets: [] };
  for (const { kind, name } of entries.flatMap((e) => Array<OddEntry>(e.copies).fill(e))) {
    const n = ++fileCount;
    const secret = `SECRET ${process.pid} ${n}`;
    const here = (file: string) => join(dir, `${n}-${file}`);
    await writeFile(join(outside, `${n}.log`), `${secret}\n`);
    switch (kind) {
      case 'fifo':
        execFileSync('mkfifo', [here(name)]);
        planted.fifos.push(here(name));
        break;
      case 'symlink-out':
        await symlink(join(outside, `${n}.log`), here(name));
        planted.secrets.push(secret);
        break;
      case 'symlink-dir-out':
        await mkdir(join(outside, `d${n}`));
        await writeFile(join(outside, `d${n}`, 'inner.log'), `${secret}\n`);
        await symlink(join(outside, `d${n}`), here('dir'));
        planted.secrets.push(secret);
        break;
      case 'loop':
        await writeFile(here('plain.log'), `plain ${secret}\n`);
        planted.plain.push(`plain ${secret}`);
        await symlink('.', here('loop'));
        await symlink(here(`b${name}`), here(`a${name}`)).catch(() => undefined);
        await symlink(here(`a${name}`), here(`b${name}`)).catch(() => undefined);
        break;
      case 'dangling':
        await symlink(join(outside, 'missing.log'), here(name));
        break;
      case 'dir-named-log':
        await mkdir(here(name));
        break;
      case 'socket': {
        const server = createServer();
        planted.sockets.push(server);
        await new Promise<void>((resolve) => {
          server.once('error', () => resolve());
          server.listen(here('s.log'), resolve);
        });
        break;
      }
      case 'odd-name':
        await writeFile(here(name), `odd ${n}\n`);
        break;
      case 'deep': {
        const deep = join(dir, `${n}-deep`, ...Array.from({ length: 20 }, (_, i) => `d${i}`));
        await mkdir(deep, { recursive: true });
        await writeFile(join(deep, 'deep.log'), `deep ${n}\n`);
        break;
      }
    }
  }
  return planted;
}

/** Lets whoever waits on these FIFOs go on (opening a FIFO blocks until the other end opens). */
function releaseFifos(fifos: readonly string[]): void {
  for (const path of fifos) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waiting: nothing to release.
    }
  }
}

/** The oracles on what arrived after odd entries were made: nothing from outside, loops followed once. */
function checkPlanted(planted: Planted, lines: readonly LogLine[], entries: readonly OddEntry[]): void {
  const what = () => entries.map((e) => `${e.copies} × ${e.kind} ${JSON.stringify(e.name).slice(0, 40)}`).join(', ');
  const leaked = lines.find((l) => planted.secrets.includes(l.text));
  expect(leaked === undefined, 'outside the --dir', () => `a line of a file outside the --dir arrived: ${JSON.stringify(leaked?.text)} (after ${what()})`);
  for (const text of planted.plain) {
    // A file reached through a symlinked folder that leads back into the --dir is still one file.
    const copies = lines.filter((l) => l.text === text).length;
    expect(copies <= 1, 'loop', () => `a line written once arrived ${copies} times with a symlink loop in the --dir (${what()})`);
  }
}

let fileCount = 0;

export const logsFamily: Family = {
  name: 'logs',
  summary: 'bytes appended in pieces to files under the --dir of an in-process server, and odd entries there',
  async open(options) {
    const target = await startInProcess({ maxLineBytes: MAX_LINE_BYTES, partialLineMs: 3_600_000, maxFiles: 1_000_000 });
    const tw = target.tw!;
    const outside = await mkdtemp(join(tmpdir(), 'tailwatch-fuzz-outside-'));
    let collector = await collect(target);
    const planted: Planted[] = [];
    const sourceOf = (path: string) => tw.sources().find((s) => s.path === path)?.id;

    const bytesProperty: Property<BytesInput> = {
      name: 'bytes',
      arbitrary: bytesInput,
      run: async ({ pieces, cuts, pauses }) => {
        const name = `f${process.pid}-${++fileCount}.log`;
        const path = join(target.dir, name);
        const header = Buffer.from(`header ${name} ${'h'.repeat(SNIFF_BYTES)}\n`);
        const body = Buffer.from(pieces.flat());
        const all = Buffer.concat([header, body]);
        const expected = expectedLines(all, MAX_LINE_BYTES);
        const handle = await open(path, 'a');
        try {
          await handle.write(header);
          const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
          let from = 0;
          for (const [i, p] of [...points, body.length].entries()) {
            if (p > from) await handle.write(body.subarray(from, p));
            from = Math.max(from, p);
            if (pauses[i]) await sleep(pauses[i]!);
          }
        } finally {
          await handle.close();
        }
        let source: string | undefined;
        const got = () => (source ??= sourceOf(path)) !== undefined ? (collector.lines.get(source) ?? []) : [];
        await withTimeout(
          (async () => {
            while (got().length < expected.length) await sleep(5);
          })(),
          options.stepTimeoutMs,
          `${expected.length} lines of ${name} (${got().length} arrived, source ${source ?? 'not found'})`,
        ).catch((err: unknown) => {
          expectAlive(target);
          throw err;
        });
        // Anything more (a repeat, the unfinished tail) would come with them or right after.
        await sleep(30);
        const lines = got();
        const show = (l: { text: string } | undefined) => JSON.stringify(l?.text ?? null).slice(0, 160);
        expect(lines.length === expected.length, 'lines', () => `${name}: ${lines.length} lines arrived, ${expected.length} written; the extra: ${show(lines[expected.length])}`);
        for (let i = 0; i < expected.length; i++) {
          const line = lines[i]!;
          const want = expected[i]!;
          expect(line.seq === i + 1, 'seq', () => `${name}: line ${i + 1} has seq ${line.seq}`);
          expect((line.cut === true) === want.cut, 'cut mark', () => `${name}: line ${i + 1} cut ${line.cut === true}, expected ${want.cut}: ${show(line)}`);
          const fits = want.cut ? cutTextFits(line.text, want.bytes, MAX_LINE_BYTES) : line.text === decode(want.bytes);
          expect(fits, 'text', () => `${name}: line ${i + 1} is ${show(line)}, written ${JSON.stringify(want.bytes.toString('latin1')).slice(0, 160)} (bytes ${want.bytes.subarray(0, 24).toString('hex')}…)`);
        }
        await unlink(path);
      },
    };

    const oddLive: Property<OddEntry[]> = {
      name: 'odd-entries',
      arbitrary: oddEntries,
      run: async (entries) => {
        const made = await plant(target.dir, outside, entries);
        planted.push(made);
        try {
          // The server must go on serving (a FIFO opened for reading blocks a thread until a writer comes).
          await checkServesGoodClient(target, 1);
        } finally {
          releaseFifos(made.fifos);
        }
        if (made.secrets.length + made.plain.length > 0) await sleep(300);
        checkPlanted(made, collector.all, entries);
      },
    };

    /** The same entries in a folder a new server starts with (its first scan and backfill, not live events). */
    const oddAtStart: Property<OddEntry[]> = {
      name: 'odd-entries-at-start',
      arbitrary: oddEntries,
      run: async (entries) => {
        const dir = await mkdtemp(join(tmpdir(), 'tailwatch-fuzz-start-'));
        let made: Planted | null = null;
        let fresh: Target | null = null;
        try {
          made = await plant(dir, outside, entries);
          const starting = startInProcess({ dir: [dir], maxLineBytes: MAX_LINE_BYTES });
          fresh = await withTimeout(starting, options.stepTimeoutMs, `a server to start with ${entries.map((e) => `${e.copies} × ${e.kind}`).join(', ')} in its --dir`);
          const c = await collect(fresh, 1000);
          try {
            await checkServesGoodClient(fresh, 1);
            await sleep(300);
            checkPlanted(made, c.all, entries);
          } finally {
            c.ws.terminate();
          }
        } finally {
          releaseFifos(made?.fifos ?? []);
          for (const s of made?.sockets ?? []) s.close();
          await fresh?.close();
          await rm(dir, { recursive: true, force: true });
        }
      },
    };

    return {
      properties: [bytesProperty, oddLive, oddAtStart],
      check: async () => {
        expect(collector.ws.readyState === WebSocket.OPEN, 'collector', () => 'the collecting client was disconnected');
        collector.ws.terminate();
        await checkServesGoodClient(target);
        collector = await collect(target);
      },
      memory: () => target.memory(),
      close: async () => {
        for (const p of planted) {
          releaseFifos(p.fifos);
          for (const s of p.sockets) s.close();
        }
        collector.ws.terminate();
        await target.close();
        await rm(outside, { recursive: true, force: true });
      },
    };
  },
};
