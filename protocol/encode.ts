// Encoding of events for each transport, from one JSON string of the event's data, so SSE,
// WebSocket and long-poll send byte-for-byte the same objects and the JSON is built once per event.
import type { EventType } from './events';

/**
 * An SSE frame (WHATWG HTML §9.2.6): `id`, `event`, one `data` line, blank line.
 * JSON.stringify never emits a raw CR or LF, so the data can never break the frame.
 */
export function sseFrame(type: EventType, id: string, dataJson: string): string {
  return `id: ${id}\nevent: ${type}\ndata: ${dataJson}\n\n`;
}

/** The WebSocket / long-poll object `{ "type", "id", ...data }`, spliced without re-serialising data. */
export function wireJson(type: EventType, id: string, dataJson: string): string {
  const head = `{"type":"${type}","id":"${id}"`;
  return dataJson.length <= 2 ? head + '}' : head + ',' + dataJson.slice(1);
}
