// Encoding of events. Every event is one JSON object `{"type","id",...data}`, built once; SSE,
// WebSocket and long-poll send byte-for-byte that object, each in its own framing.
import type { EventType, LogLevel, LogLine } from './events';

const utf8 = new TextEncoder();
const SSE_FRAME_END = utf8.encode('\n\n');

/**
 * An SSE frame (WHATWG HTML §9.2.6) as byte parts: `id`, `event`, then the event's UTF-8 JSON as it is on
 * one `data` line, then the blank line. JSON.stringify never emits a raw CR or LF, so data cannot break it.
 */
export function sseFrameParts(type: EventType, id: string, eventJson: Uint8Array): Uint8Array[] {
  return [utf8.encode(`id: ${id}\nevent: ${type}\ndata: `), eventJson, SSE_FRAME_END];
}

/** The WebSocket / long-poll object `{ "type", "id", ...data }`, spliced without re-serialising data. */
export function wireJson(type: EventType, id: string, dataJson: string): string {
  const head = wireHead(type, id);
  return dataJson.length <= 2 ? head + '}' : head + ',' + dataJson.slice(1);
}

/** The start of that object, `{"type":…,"id":…`, for data written after it (plainLogDataJson). */
export function wireHead(type: EventType, id: string): string {
  return `{"type":"${type}","id":"${id}"`;
}

/**
 * A `log` event's data, `{"source":…,"lines":[…]}`, for lines whose texts are all known plain (PLAIN_TEXT:
 * printable ASCII). The same value as JSON.stringify gives (keys in another order), at about half its cost on a
 * burst: a text without `"` or `\` goes between quotes as it is (one JSON.stringify of a short string costs
 * more than the line's whole share of a batch's), and an epoch-ms `ts` (a double, slow to print) is printed as
 * two small integers. The result is ASCII. `head`: what goes before `"source"` (wireHead(…) + ',' for the
 * whole event: splicing a built string with wireJson would copy it once more).
 */
export function plainLogDataJson(source: string, lines: readonly LogLine[], head = '{'): string {
  let json = head + '"source":' + JSON.stringify(source) + ',"lines":[';
  // Lines of a batch often share their time (those without one of their own carry the time they were read).
  let lastTs = Number.NaN;
  let tsJson = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const text = line.text;
    if (line.ts !== lastTs) {
      lastTs = line.ts;
      tsJson = msJson(lastTs);
    }
    // As few joins a line as may be (each is an object a burst makes garbage of): quotes and closing keys
    // come with the constant pieces around the text.
    const tail = (line.level === undefined ? 0 : LEVEL_INDEX[line.level]) * 4 + (line.cont ? 2 : 0) + (line.cut ? 1 : 0);
    const start = i === 0 ? '{"seq":' : ',{"seq":';
    if (text.indexOf('"') === -1 && text.indexOf('\\') === -1) {
      json += start + line.seq + ',"ts":' + tsJson + ',"text":"' + text + QUOTED_TAILS[tail];
    } else {
      json += start + line.seq + ',"ts":' + tsJson + ',"text":' + JSON.stringify(text) + TAILS[tail];
    }
  }
  return json + ']}';
}

const LEVEL_INDEX: Record<LogLevel, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6 };
/** What follows a line's text, by level (none first, then LEVEL_INDEX's order) × cont × cut. */
const TAILS: readonly string[] = [undefined, 'trace', 'debug', 'info', 'warn', 'error', 'fatal'].flatMap((level) =>
  ['', ',"cut":true', ',"cont":true', ',"cont":true,"cut":true'].map((flags) => (level ? `,"level":"${level}"` : '') + flags + '}'),
);
const QUOTED_TAILS: readonly string[] = TAILS.map((tail) => '"' + tail);

const MS_SPLIT = 1_000_000;
const MS_LOW_PAD = ['00000', '0000', '000', '00', '0', ''];

/** JSON of a time in ms: one of this century as two small integers (printing a whole double costs ~100 ns). */
function msJson(ms: number): string {
  if (!(ms >= 1e12 && ms < 1e13) || !Number.isInteger(ms)) return JSON.stringify(ms);
  const high = Math.floor(ms / MS_SPLIT);
  const low = ms - high * MS_SPLIT;
  return high + MS_LOW_PAD[low < 10 ? 0 : low < 100 ? 1 : low < 1e3 ? 2 : low < 1e4 ? 3 : low < 1e5 ? 4 : 5]! + low;
}

/** A text as it may go into plainLogDataJson: printable ASCII (no control char; DEL needs no escape in JSON). */
export const PLAIN_TEXT = /^[\x20-\x7f]*$/;
