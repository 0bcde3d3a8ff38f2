// Runs the line kernel (line-kernel.as.ts, WebAssembly): a read's lines as the JSON a `log` event carries, written
// from the bytes read, for the lines the kernel takes (see there); the JS way (line-splitter.ts, line-of.ts)
// takes the rest. Where WebAssembly cannot run, there is no kernel and the JS way takes every line.
import type { LogLevel, LogLine } from '../../../protocol/events';
import { WASM_PAGE_BYTES, webAssembly, type WasmMemory } from './webassembly';
import { KERNEL_WASM_BASE64 } from './line-kernel-wasm';

/** The kernel's memory, laid out here (it allocates nothing). Its own constants sit below INPUT_AT. */
const INPUT_AT = 64 * 1024;
/** A chunk is taken in windows of at most this many bytes (whole lines): a read is at most READ_CHUNK_BYTES. */
const INPUT_BYTES = 1024 * 1024;
/** The first window of a call (see encode). */
const FIRST_WINDOW_BYTES = 8 * 1024;
const OUTPUT_AT = INPUT_AT + INPUT_BYTES;
/** One call's JSON: a batch, plus room for the longest line the kernel takes, escaped (2 * 2048 bytes + keys). */
const OUTPUT_BYTES = 256 * 1024;
/** Lines one call writes at most (the hub's DEFAULT_BATCH_LINES). */
const MAX_LINES = 8192;
const TIMES_AT = OUTPUT_AT + OUTPUT_BYTES;
const LEVELS_AT = TIMES_AT + MAX_LINES * 8;
const MEMORY_BYTES = LEVELS_AT + MAX_LINES;

/** The kernel's level numbers: 0 none, then LogLevel's order. */
export const KERNEL_LEVELS: readonly (LogLevel | undefined)[] = [undefined, 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];
/** error and fatal, by kernel level number: lines counted as errors (SourceStats). */
export const FIRST_ERROR_LEVEL = 5;

/** Lines the kernel wrote: valid only during the callback that gets them, except `json`. */
export interface EncodedLines {
  /** Their `{"seq":...,"ts":...,"text":...}` objects, comma-separated, as plainLogDataJson writes them: the caller's own copy. */
  json: Buffer;
  count: number;
  /** Per line, its time and its level number (KERNEL_LEVELS): views of the kernel's memory. */
  times: Float64Array;
  levels: Uint8Array;
  /** The time of the last of them that had its own, or -1 (lines without one carry the time given to encode). */
  lastOwnTime: number;
  /** Where the first and the last line start, and where the lines end (after the last newline), in the chunk. */
  first: number;
  lastStart: number;
  end: number;
}

/** The lines of an EncodedLines' `json` as objects, for a consumer that needs them (a tap, a check). */
export function linesOfJson(json: Uint8Array): LogLine[] {
  return JSON.parse(`[${Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('latin1')}]`) as LogLine[];
}

interface KernelExports {
  memory: WasmMemory;
  encode(
    p: number,
    end: number,
    o: number,
    outEnd: number,
    seq: number,
    maxLineBytes: number,
    times: number,
    levels: number,
    maxLines: number,
    inheritedTime: number,
    plainEvent: number,
  ): number;
  encodedLines(): number;
  encodedBytes(): number;
  lastOwnTime(): number;
}

export class LineKernel {
  private readonly bytes: Uint8Array;
  private readonly times: Float64Array;
  private readonly levels: Uint8Array;

  private constructor(private readonly kernel: KernelExports) {
    const memory = kernel.memory;
    memory.grow(Math.ceil(MEMORY_BYTES / WASM_PAGE_BYTES) - memory.buffer.byteLength / WASM_PAGE_BYTES);
    // Views made once: the memory never grows again, so they stay valid.
    this.bytes = new Uint8Array(memory.buffer);
    this.times = new Float64Array(memory.buffer, TIMES_AT, MAX_LINES);
    this.levels = new Uint8Array(memory.buffer, LEVELS_AT, MAX_LINES);
  }

  /** A kernel, or null where WebAssembly (with SIMD) cannot run it: then the JS way takes every line. */
  static load(): LineKernel | null {
    if (!webAssembly) return null;
    try {
      const module = new webAssembly.Module(Buffer.from(KERNEL_WASM_BASE64, 'base64'));
      // The stub runtime imports abort; with --noAssert nothing calls it.
      const instance = new webAssembly.Instance(module, { env: { abort: () => {} } });
      return new LineKernel(instance.exports as unknown as KernelExports);
    } catch {
      return null;
    }
  }

  /**
   * Encodes the whole lines of `chunk` from `from` (a line start) on, the first one numbered `seq + 1`, handing
   * them on in batches of about `batchBytes` of JSON; stops at the first line it does not take (or longer than
   * `maxLineBytes`: the JS way cuts it) and at the last newline. Returns where it stopped. `context`: the time a
   * line without its own gets (the last own time before it, else the time read), and whether the event open
   * before `from` is a plain one (not a traceback, a Go dump or Node's banner), as line-of.ts would know them.
   */
  encode(
    chunk: Uint8Array,
    from: number,
    seq: number,
    context: { inheritedTime: number; plainEvent: boolean },
    maxLineBytes: number,
    batchBytes: number,
    onLines: (lines: EncodedLines) => void,
  ): number {
    let { inheritedTime, plainEvent } = context;
    const last = chunk.lastIndexOf(0x0a);
    let at = from;
    // The bytes go to the kernel's memory a window at a time, from a small one, each twice the last while the
    // kernel takes all of it: where it soon leaves a line (a stack trace every few lines), little was copied.
    let window = FIRST_WINDOW_BYTES;
    while (at <= last) {
      let windowEnd = last + 1;
      if (windowEnd - at > window) {
        windowEnd = chunk.lastIndexOf(0x0a, at + window - 1) + 1;
        if (windowEnd <= at) {
          // A line longer than the window: a larger one, up to the input region (a longer line is the JS way's).
          if (window === INPUT_BYTES) return at;
          window = Math.min(2 * window, INPUT_BYTES);
          continue;
        }
      }
      this.bytes.set(chunk.subarray(at, windowEnd), INPUT_AT);
      const offset = at - INPUT_AT;
      let p = INPUT_AT;
      const end = INPUT_AT + (windowEnd - at);
      while (p < end) {
        const outEnd = OUTPUT_AT + Math.min(batchBytes, OUTPUT_BYTES);
        const stop = this.kernel.encode(p, end, OUTPUT_AT, outEnd, seq, maxLineBytes, TIMES_AT, LEVELS_AT, MAX_LINES, inheritedTime, plainEvent ? 1 : 0);
        const count = this.kernel.encodedLines();
        if (count === 0) return p + offset;
        const json = Buffer.from(this.bytes.subarray(OUTPUT_AT, OUTPUT_AT + this.kernel.encodedBytes()));
        const lastOwnTime = this.kernel.lastOwnTime();
        const lastStart = this.bytes.lastIndexOf(0x0a, stop - 2) + 1;
        const first = p + offset;
        onLines({ json, count, times: this.times, levels: this.levels, lastOwnTime, first, lastStart: Math.max(p, lastStart) + offset, end: stop + offset });
        seq += count;
        if (lastOwnTime >= 0) inheritedTime = lastOwnTime;
        // Every line the kernel takes heads a plain event.
        plainEvent = true;
        p = stop;
      }
      at = windowEnd;
      window = Math.min(2 * window, INPUT_BYTES);
    }
    return at;
  }
}

let loaded: LineKernel | null | undefined;

/** This process's kernel (made on first use; its memory is used only within one synchronous encode), or null. */
export function lineKernel(): LineKernel | null {
  if (loaded === undefined) loaded = LineKernel.load();
  return loaded;
}
