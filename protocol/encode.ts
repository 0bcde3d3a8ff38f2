// Encoding of events. Every event is one JSON object `{"type","id",...data}`, built once; SSE,
// WebSocket and long-poll send byte-for-byte that object, each in its own framing.
import type { EventType } from './events';

/**
 * The head of an SSE frame (WHATWG HTML §9.2.6): `id`, `event`, then `data:` on which the event's JSON
 * follows, then SSE_FRAME_END. JSON.stringify never emits a raw CR or LF, so data cannot break a frame.
 */
export function sseFrameHead(type: EventType, id: string): string {
  return `id: ${id}\nevent: ${type}\ndata: `;
}
export const SSE_FRAME_END = '\n\n';

/** A whole SSE frame as text (for small events and tests). */
export function sseFrame(type: EventType, id: string, eventJson: string): string {
  return sseFrameHead(type, id) + eventJson + SSE_FRAME_END;
}

/** The WebSocket / long-poll object `{ "type", "id", ...data }`, spliced without re-serialising data. */
export function wireJson(type: EventType, id: string, dataJson: string): string {
  const head = `{"type":"${type}","id":"${id}"`;
  return dataJson.length <= 2 ? head + '}' : head + ',' + dataJson.slice(1);
}
