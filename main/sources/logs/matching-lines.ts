// Finds the lines a search query matches in a buffer of whole lines: the hot path of a search of the files on
// disk. Plain text is looked for in the bytes (on a copy with ASCII case folded when the query is case-insensitive)
// and only the line around a hit is found and decoded; folding, finding the needle and counting newlines run in a
// small WebAssembly SIMD kernel (ByteKernel). A regex, or case-insensitive text that is not ASCII, is tested on each
// line's decoded text, a regex under a hard time limit (runWithin). Lines follow the tailer's rules
// (line-splitter.ts): split on '\n', one trailing '\r' dropped, a file's leading BOM dropped, a line over
// maxLineBytes cut (and matched as cut: only its first maxLineBytes bytes).
import { Script, createContext } from 'node:vm';
import type { Context } from 'node:vm';
import { completeUtf8Length } from './line-splitter';
import type { SearchQuery } from './search-query';
import { WASM_PAGE_BYTES, webAssembly, type WasmMemory } from './webassembly';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const REPLACEMENT = Buffer.from('\uFFFD');

export interface LineHit {
  /** Where the line starts in the buffer. */
  start: number;
  /** Lines after it in the region: 0 for the region's last line. */
  fromEnd: number;
  /** The line's text as the tailer gives it out; '' when text was not asked for. */
  text: string;
  /** Longer than maxLineBytes: the text (and what was matched) is its first maxLineBytes bytes. */
  cut: boolean;
}

/** The search of one region of whole lines, run by `run()` (again after a time limit stopped it: see runWithin). */
export interface RegionSearch {
  /** Looks at the lines left; true once every line was looked at or `stopAfter` hits were found. */
  run(): boolean;
  /** Lines looked at so far. */
  readonly looked: number;
  /** Matching lines found so far (may pass `keep`). */
  readonly found: number;
  /** Lines of the region, known once `run()` returned true. */
  readonly lines: number;
  /** Every line was looked at (not stopped at `stopAfter`). */
  readonly complete: boolean;
  /** The newest `keep` hits found, newest first. */
  readonly hits: LineHit[];
}

export interface RegionOptions {
  /** bytes[from] is the first byte of the file (its BOM, if any, is not text). */
  fileStart: boolean;
  /** Hits given back (the newest). */
  keep: number;
  /** Stop looking once this many hits were found; Infinity to look at every line. */
  stopAfter: number;
  /** Decode the text of the hits kept. */
  withText: boolean;
}

/** A query made ready to match lines, with the tailer's line cap. */
export class LineMatcher {
  /** Matching may run long on one line (a regex): run regions through `runWithin`. */
  readonly timeBound: boolean;
  readonly maxLineBytes: number;
  private readonly needle: Needle | null;
  private readonly foldCase: boolean;
  private readonly test: ((text: string) => boolean) | null;
  readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(query: SearchQuery, maxLineBytes: number) {
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes: expected a positive whole number, got ${maxLineBytes}`);
    }
    this.maxLineBytes = maxLineBytes;
    this.timeBound = query.kind === 'regex';
    if (query.kind === 'regex') {
      const regex = query.regex;
      this.needle = null;
      this.foldCase = false;
      this.test = (text) => regex.test(text);
      return;
    }
    const needle = Buffer.from(query.caseSensitive ? query.text : query.text.toLowerCase());
    // Bytes decide only where decoded text would decide the same: not for U+FFFD (invalid bytes decode to it)
    // nor for case-insensitive text beyond ASCII (folding it takes Unicode rules, on text).
    const ascii = needle.every((byte) => byte < 0x80);
    if (needle.includes(REPLACEMENT) || (!query.caseSensitive && !ascii)) {
      const lower = query.text.toLowerCase();
      this.needle = null;
      this.foldCase = false;
      this.test = query.caseSensitive ? (text) => text.includes(query.text) : (text) => text.toLowerCase().includes(lower);
    } else {
      this.needle = needleOf(needle);
      this.foldCase = !query.caseSensitive;
      this.test = null;
    }
  }

  /** The search of the lines in bytes[from, to): each ends at a '\n' or at `to`. */
  region(bytes: Buffer, from: number, to: number, options: RegionOptions): RegionSearch {
    if (this.test) return new TextRegionSearch(this, this.test, bytes, from, to, options);
    return new ByteRegionSearch(this, this.needle!, this.foldCase, bytes, from, to, options);
  }

  /** Where the text of the line bytes[start, end) begins and ends, and whether it is cut ('\n' not included). */
  content(bytes: Buffer, start: number, end: number, fileStart: boolean): { from: number; to: number; cut: boolean } {
    const cut = end - start > this.maxLineBytes;
    const to = cut
      ? start + completeUtf8Length(bytes.subarray(start, start + this.maxLineBytes))
      : end > start && bytes[end - 1] === CARRIAGE_RETURN
        ? end - 1
        : end;
    const bom = fileStart && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf ? 3 : 0;
    return { from: Math.min(start + bom, to), to, cut };
  }
}

/** Newlines in bytes[from, to). */
function countNewlines(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE, from); i !== -1 && i < to; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/** Lines in bytes[from, to) whose last line ends at '\n' or at `to`. */
function linesIn(bytes: Buffer, from: number, to: number): number {
  if (to <= from) return 0;
  return countNewlines(bytes, from, to) + (bytes[to - 1] === NEWLINE ? 0 : 1);
}

/** Plain text found with indexOf on the bytes (or on their case-folded copy); only hit lines are looked at. */
class ByteRegionSearch implements RegionSearch {
  looked = 0;
  found = 0;
  lines = 0;
  complete = false;
  hits: LineHit[] = [];

  constructor(
    private readonly matcher: LineMatcher,
    private readonly needle: Needle,
    private readonly foldCase: boolean,
    private readonly bytes: Buffer,
    private readonly from: number,
    private readonly to: number,
    private readonly options: RegionOptions,
  ) {}

  run(): boolean {
    const { needle, bytes, from, to } = this;
    // Prepared and searched in one synchronous run: the kernel's scratch is shared by every search.
    const kernel = byteKernel();
    const haystack = kernel.prepare(bytes, from, to, this.foldCase);
    // Buffer#indexOf has no end: a view that ends at `to` keeps hits (and line ends) inside the region.
    const view = haystack.subarray(0, to);
    const starts: number[] = [];
    const indexes: number[] = [];
    let counted = from;
    let line = 0;
    const length = needle.bytes.length;
    const max = this.matcher.maxLineBytes;
    const fileStart = this.options.fileStart;
    const find = (at: number) => (at < to ? kernel.find(haystack, needle, at, to) : -1);
    let at = find(from);
    while (at !== -1) {
      const before = at > from ? view.lastIndexOf(NEWLINE, at - 1) : -1;
      const start = before < from ? from : before + 1;
      const newline = view.indexOf(NEWLINE, at);
      const end = newline === -1 ? to : newline;
      line += kernel.count(view, counted, start);
      counted = start;
      // Most lines are under the cap and not the file's first (no BOM to skip): only a '\r' to leave out.
      const plain = end - start <= max && !(fileStart && start === from);
      const content = plain ? null : this.matcher.content(bytes, start, end, fileStart && start === from);
      const contentTo = content ? content.to : end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
      if (at >= (content ? content.from : start) && at + length <= contentTo) {
        starts.push(start);
        indexes.push(line);
        at = find(end + 1);
      } else {
        // Past the cut or the '\r' every later hit in this line is too; before the BOM, a later one may not be.
        at = find(at + length > contentTo ? end + 1 : at + 1);
      }
    }
    this.lines = line + kernel.count(view, counted, to) + (bytes[to - 1] === NEWLINE ? 0 : 1);
    this.looked = this.lines;
    this.found = starts.length;
    this.complete = true;
    const kept = Math.min(this.options.keep, starts.length);
    for (let i = starts.length - 1; i >= starts.length - kept; i--) {
      const start = starts[i]!;
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 || newline >= to ? to : newline;
      const content = this.matcher.content(bytes, start, end, this.options.fileStart && start === from);
      const text = this.options.withText ? this.matcher.decoder.decode(bytes.subarray(content.from, content.to)) : '';
      this.hits.push({ start, fromEnd: this.lines - 1 - indexes[i]!, text, cut: content.cut });
    }
    return true;
  }
}

/** A predicate on each line's decoded text, newest line first; resumable after a time limit stopped it. */
class TextRegionSearch implements RegionSearch {
  looked = 0;
  found = 0;
  lines = 0;
  complete = false;
  hits: LineHit[] = [];
  private readonly text: string;
  private finished = false;
  /** Start of the last line counted as found (a line the time limit stopped right after is not counted again). */
  private counted = -1;
  /** The next line to look at ends here (before its '\n'), in bytes and in `text`. */
  private byteEnd: number;
  private textEnd: number;

  constructor(
    private readonly matcher: LineMatcher,
    private readonly test: (text: string) => boolean,
    private readonly bytes: Buffer,
    private readonly from: number,
    private readonly to: number,
    private readonly options: RegionOptions,
  ) {
    // One decode for the region: '\n' decodes to itself and ends any bad sequence before it, so the region's
    // text is its lines' texts joined by '\n', line for line.
    this.text = matcher.decoder.decode(bytes.subarray(from, to));
    const terminated = to > from && bytes[to - 1] === NEWLINE;
    this.byteEnd = terminated ? to - 1 : to;
    this.textEnd = terminated ? this.text.length - 1 : this.text.length;
  }

  run(): boolean {
    const { bytes, from, text, options } = this;
    // Done already: the time limit may stop the script after run() returned, and it is called again.
    if (this.finished) return true;
    if (this.to <= from) return (this.finished = this.complete = true);
    if (this.found >= options.stopAfter) return this.stop();
    for (;;) {
      const byteEnd = this.byteEnd;
      const textEnd = this.textEnd;
      const newline = byteEnd > from ? bytes.lastIndexOf(NEWLINE, byteEnd - 1) : -1;
      const start = newline < from ? from : newline + 1;
      const textStart = textEnd > 0 ? text.lastIndexOf('\n', textEnd - 1) + 1 : 0;
      const atFileStart = options.fileStart && start === from;
      let line: string;
      let cut = false;
      if (byteEnd - start <= this.matcher.maxLineBytes && !atFileStart) {
        // Most lines: under the cap and not the file's first (no BOM to skip): only a '\r' to leave out.
        line = text.slice(textStart, textEnd > textStart && text.charCodeAt(textEnd - 1) === CARRIAGE_RETURN ? textEnd - 1 : textEnd);
      } else {
        const content = this.matcher.content(bytes, start, byteEnd, atFileStart);
        cut = content.cut;
        if (cut) line = this.matcher.decoder.decode(bytes.subarray(content.from, content.to));
        else line = text.slice(textStart + (content.from - start === 3 ? 1 : 0), content.to === byteEnd ? textEnd : textEnd - 1);
      }
      if (this.test(line) && this.counted !== start) {
        const hit = { start, fromEnd: this.looked, text: options.withText ? line : '', cut };
        // Plain stores from here to the next line: a time limit (runWithin) cannot stop the script between
        // them, so a line is never counted twice, nor skipped, when the search resumes.
        if (this.hits.length < options.keep) this.hits[this.hits.length] = hit;
        this.counted = start;
        this.found++;
      }
      this.looked++;
      if (start === from) {
        this.lines = this.looked;
        return (this.finished = this.complete = true);
      }
      this.byteEnd = start - 1;
      this.textEnd = textStart - 1;
      if (this.found >= options.stopAfter) return this.stop();
    }
  }

  /** Stopped at `stopAfter`: the lines not looked at are counted all the same. */
  private stop(): boolean {
    this.lines = this.looked + linesIn(this.bytes, this.from, this.byteEnd + 1);
    return (this.finished = true);
  }
}

/** The ASCII letters of src[from, to) in lower case, into dst at the same places; other bytes as they are. */
export function foldAsciiCase(src: Buffer, dst: Buffer, from: number, to: number): void {
  let i = from;
  if (src.byteOffset % 4 === 0 && dst.byteOffset % 4 === 0) {
    // Four bytes at a time. With each byte's top bit set first, subtracting 0x41 (or 0x5B) from every byte
    // never borrows from the next one, and the top bit stays set where the low 7 bits are >= 'A' (or > 'Z'):
    // the bytes 'A'..'Z' (not >= 0x80) get 0x20. Everything stays int32, which V8 keeps in registers.
    const last = to >> 2;
    const words = new Int32Array(src.buffer, src.byteOffset, last);
    const out = new Int32Array(dst.buffer, dst.byteOffset, last);
    for (let w = from >> 2; w < last; w++) {
      const word = words[w]! | 0;
      const atLeastA = ((word | 0x80808080) - 0x41414141) | 0;
      const pastZ = ((word | 0x80808080) - 0x5b5b5b5b) | 0;
      out[w] = word | ((atLeastA & ~pastZ & ~word & 0x80808080) >>> 2);
    }
    i = Math.max(from, last << 2);
  }
  for (; i < to; i++) {
    const byte = src[i]!;
    dst[i] = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
  }
}

/**
 * The byte loops a plain-text search spends its time in: folding case, finding the needle, counting newlines
 * (every line is counted, for `fromEnd`). `prepare` gives the bytes to search, bytes[from, to) at the same offsets
 * (folded if asked); `find` gives where the needle is next in what it gave, wholly before `to` (or -1); `count`
 * counts newlines in it. Valid until the next `prepare`: use them in one synchronous run.
 */
export interface ByteKernel {
  prepare(bytes: Buffer, from: number, to: number, fold: boolean): Buffer;
  find(prepared: Buffer, needle: Needle, from: number, to: number): number;
  count(prepared: Buffer, from: number, to: number): number;
}

/** The bytes looked for, and the two of them looked for first: the rarest in log text, by COMMON_BYTES. */
export interface Needle {
  bytes: Buffer;
  first: number;
  second: number;
}

/** Bytes of log text, most common first (a rough order: letters and digits, then separators); others are rare. */
const COMMON_BYTES = Buffer.from(' e0t1a2o3i4n5s6r7l8d9c.u:-/p"mhg,=fTbEyRSAwvIkOCx_NPDLGM');

export function needleOf(bytes: Buffer): Needle {
  const rarity = (i: number) => {
    const rank = COMMON_BYTES.indexOf(bytes[i]!);
    return rank === -1 ? COMMON_BYTES.length : rank;
  };
  let first = 0;
  for (let i = 1; i < bytes.length; i++) if (rarity(i) > rarity(first)) first = i;
  let second = first === 0 ? bytes.length - 1 : 0;
  for (let i = 0; i < bytes.length; i++) if (i !== first && bytes[i] !== bytes[first] && rarity(i) > rarity(second)) second = i;
  return { bytes, first, second };
}

/** In JavaScript: the fold four bytes at a time, newlines found with indexOf (memchr). */
export function jsByteKernel(): ByteKernel {
  let folded: Buffer | null = null;
  return {
    prepare(bytes, from, to, fold) {
      if (!fold) return bytes;
      if (!folded || folded.length < to) folded = Buffer.allocUnsafeSlow(Math.max(to, bytes.length));
      foldAsciiCase(bytes, folded, from, to);
      return folded;
    },
    find(prepared, needle, from, to) {
      const at = prepared.indexOf(needle.bytes, from);
      return at === -1 || at + needle.bytes.length > to ? -1 : at;
    },
    count: countNewlines,
  };
}

// WebAssembly SIMD, 16 bytes a step: fold(p, end) lower-cases 'A'..'Z' in place (a byte b gets 0x20 where
// b - 0x41 < 26 unsigned); count(p, end) adds up, for each block, popcnt(bitmask(block == '\n'));
// find(p, end, b1, o1, b2, o2) gives the first i >= p (in a block starting before `end`) where the byte at i + o1
// is b1 and the one at i + o2 is b2, or -1: the candidates for a needle, checked whole by the caller (W. Mula's
// "SIMD-friendly algorithms for substring searching"). All step from p while p < end, so they may read up to 15
// bytes (plus o1, o2) past `end` (the scratch has room), and count is given whole blocks only. Written out here
// as opcodes; the tests hold them to the JavaScript versions.
const I32 = 0x7f;
const V128 = 0x7b;
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, empty: 0x40, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f,
  get: 0x20, set: 0x21, tee: 0x22, i32: 0x41, geU: 0x4f, ctz: 0x68, popcnt: 0x69, add: 0x6a,
};
const SIMD = { load: 0x00, store: 0x0b, splat: 0x0f, eq: 0x23, ltU: 0x26, and: 0x4e, or: 0x50, bitmask: 0x64, sub: 0x71 };

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >>> 7 ? 0x80 : 0));
    n >>>= 7;
  } while (n);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (text: string): number[] => vec([...Buffer.from(text)].map((b) => [b]));
/** An i32.const of a small non-negative value (signed LEB128). */
const i32 = (n: number): number[] => (n === -1 ? [OP.i32, 0x7f] : n < 0x40 ? [OP.i32, n] : [OP.i32, (n & 0x7f) | 0x80, n >> 7]);
const simd = (code: number, ...memarg: number[]): number[] => [0xfd, ...uleb(code), ...memarg];
const splat = (byte: number): number[] => [...i32(byte), ...simd(SIMD.splat)];
/** `while (p < end) { body; p += 16 }` over the params p (local 0) and end (local 1). */
const eachBlock = (body: number[]): number[] => [
  OP.block, OP.empty, OP.loop, OP.empty,
  OP.get, 0, OP.get, 1, OP.geU, OP.brIf, 1,
  ...body,
  OP.get, 0, ...i32(16), OP.add, OP.set, 0, OP.br, 0,
  OP.end, OP.end,
];
const FOLD = [
  ...vec([[1, V128]]),
  ...eachBlock([
    OP.get, 0, OP.get, 0, ...simd(SIMD.load, 0, 0), OP.tee, 2,
    OP.get, 2, ...splat(0x41), ...simd(SIMD.sub), ...splat(26), ...simd(SIMD.ltU), ...splat(0x20), ...simd(SIMD.and),
    ...simd(SIMD.or), ...simd(SIMD.store, 0, 0),
  ]),
  OP.end,
];
const COUNT = [
  ...vec([[1, I32]]),
  ...eachBlock([
    OP.get, 0, ...simd(SIMD.load, 0, 0), ...splat(NEWLINE), ...simd(SIMD.eq), ...simd(SIMD.bitmask), OP.popcnt,
    OP.get, 2, OP.add, OP.set, 2,
  ]),
  OP.get, 2, OP.end,
];
/** Params p 0, end 1, b1 2, o1 3, b2 4, o2 5; locals: splat(b1) 6, splat(b2) 7, the block's candidates 8. */
const FIND = [
  ...vec([[2, V128], [1, I32]]),
  OP.get, 2, ...simd(SIMD.splat), OP.set, 6,
  OP.get, 4, ...simd(SIMD.splat), OP.set, 7,
  ...eachBlock([
    OP.get, 0, OP.get, 3, OP.add, ...simd(SIMD.load, 0, 0), OP.get, 6, ...simd(SIMD.eq),
    OP.get, 0, OP.get, 5, OP.add, ...simd(SIMD.load, 0, 0), OP.get, 7, ...simd(SIMD.eq),
    ...simd(SIMD.and), ...simd(SIMD.bitmask), OP.tee, 8,
    OP.if, OP.empty, OP.get, 0, OP.get, 8, OP.ctz, OP.add, OP.return, OP.end,
  ]),
  ...i32(-1), OP.end,
];
const KERNEL_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([
    [0x60, ...vec([[I32], [I32]]), ...vec([])],
    [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])],
  ])),
  ...section(3, vec([[0], [1], [2]])),
  ...section(5, vec([[0x00, ...uleb(1)]])),
  ...section(7, vec([[...name('memory'), 0x02, 0], [...name('fold'), 0x00, 0], [...name('count'), 0x00, 1], [...name('find'), 0x00, 2]])),
  ...section(10, vec([[...uleb(FOLD.length), ...FOLD], [...uleb(COUNT.length), ...COUNT], [...uleb(FIND.length), ...FIND]])),
]);

interface KernelExports {
  memory: WasmMemory;
  fold(p: number, end: number): void;
  count(p: number, end: number): number;
  find(p: number, end: number, b1: number, o1: number, b2: number, o2: number): number;
}

const BLOCK_SLACK = 16;

/** In WebAssembly SIMD; null where WebAssembly (or its SIMD) is not available (--jitless, an old engine). */
export function wasmByteKernel(): ByteKernel | null {
  if (!webAssembly) return null;
  let exports: KernelExports;
  try {
    exports = new webAssembly.Instance(new webAssembly.Module(KERNEL_MODULE)).exports as KernelExports;
  } catch {
    return null;
  }
  let scratch = Buffer.from(exports.memory.buffer);
  const js = jsByteKernel();
  return {
    prepare(bytes, from, to, fold) {
      if (scratch.length < to + BLOCK_SLACK) {
        exports.memory.grow(Math.ceil((to + BLOCK_SLACK - scratch.length) / WASM_PAGE_BYTES));
        scratch = Buffer.from(exports.memory.buffer);
      }
      bytes.copy(scratch, from, from, to);
      if (fold) exports.fold(from, to);
      return scratch;
    },
    find(prepared, needle, from, to) {
      if (prepared.buffer !== scratch.buffer || prepared.byteOffset !== 0) return js.find(prepared, needle, from, to);
      const { bytes, first, second } = needle;
      const length = bytes.length;
      const end = to - length + 1;
      const b1 = bytes[first]!;
      const b2 = bytes[second]!;
      for (let at = from < end ? exports.find(from, end, b1, first, b2, second) : -1; at !== -1 && at < end; at = exports.find(at + 1, end, b1, first, b2, second)) {
        let i = 0;
        while (i < length && scratch[at + i] === bytes[i]) i++;
        if (i === length) return at;
      }
      return -1;
    },
    count(prepared, from, to) {
      if (prepared.buffer !== scratch.buffer || prepared.byteOffset !== 0) return js.count(prepared, from, to);
      const blocks = from + ((to - from) & ~15);
      let count = blocks > from ? exports.count(from, blocks) : 0;
      for (let i = blocks; i < to; i++) if (scratch[i] === NEWLINE) count++;
      return count;
    },
  };
}

let kernel: ByteKernel | null = null;

/** The kernel of this process: WebAssembly where there is, else JavaScript. */
function byteKernel(): ByteKernel {
  return (kernel ??= wasmByteKernel() ?? jsByteKernel());
}

let sandbox: Context | null = null;
const RUN = new Script('run()', { filename: 'tailwatch-search' });

/**
 * Runs `step` with a hard time limit: V8 has no regex timeout, but terminates a script (a regex included) that
 * runs past a vm timeout. True when `step` returned, false when it was stopped; its state is then as it was
 * when stopped (a RegionSearch resumes at the line it was on). One watchdog thread per call: ~0.1 ms.
 */
export function runWithin(ms: number, step: () => unknown): boolean {
  sandbox ??= createContext({ run: null });
  sandbox.run = step;
  try {
    RUN.runInContext(sandbox, { timeout: Math.max(1, Math.ceil(ms)) });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return false;
    throw err;
  } finally {
    sandbox.run = null;
  }
}
