// Encoding of events. Every event is one JSON object `{"type","id",...data}`, built once; SSE,
// WebSocket and long-poll send byte-for-byte that object, each in its own framing.
import type { EventType } from './events';

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
  const head = `{"type":"${type}","id":"${id}"`;
  return dataJson.length <= 2 ? head + '}' : head + ',' + dataJson.slice(1);
}
