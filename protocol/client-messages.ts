// Messages a WebSocket client may send, and their validation. Every message is checked here; a bad
// one becomes an `error` event for that client and never an exception in the server.
import { TOPICS, type ErrorCode, type Topic } from './events';

export interface SubscribeMessage {
  type: 'subscribe';
  topics?: Topic[];
  sources?: string[];
  since?: string;
  backfill?: number;
}
export interface UnsubscribeMessage {
  type: 'unsubscribe';
  topics?: Topic[];
  sources?: string[];
}
export interface PingMessage {
  type: 'ping';
}
export type ClientMessage = SubscribeMessage | UnsubscribeMessage | PingMessage;

/** Limits on what a client may ask for. */
export const CLIENT_LIMITS = {
  /** Lines per source a client may ask to be backfilled with. */
  maxBackfill: 100_000,
  /** Source ids in one message. */
  maxSources: 1_000,
  /** Source ids one client's subscription may name at once (chosen, or left out of "every source"). */
  maxSourcesPerClient: 4_096,
  /** Length of one source id. */
  maxIdLength: 64,
  /** Length of a resume id: its Redis cursor names up to CURSOR_LIMITS.maxHosts hosts (protocol/event-id.ts). */
  maxEventIdLength: 64 * 1024,
  /** Characters of a client's value quoted back in an error message. */
  maxQuotedChars: 40,
} as const;

export class ClientMessageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const SOURCE_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * A client's value in an error message: a short quote of a string, else only its kind. Never serialised
 * whole: a value can be 64 KiB, or nested thousands deep (JSON.stringify of it would overflow the stack).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const max = CLIENT_LIMITS.maxQuotedChars;
    return JSON.stringify(value.length > max ? value.slice(0, max) + '…' : value);
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).slice(0, CLIENT_LIMITS.maxQuotedChars);
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function parseTopics(value: unknown, field = 'topics'): Topic[] {
  if (!Array.isArray(value)) throw new ClientMessageError('bad-topic', `${field} must be an array of topic names, got ${describeValue(value)}`);
  for (const t of value) {
    if (typeof t !== 'string' || !(TOPICS as readonly string[]).includes(t)) {
      throw new ClientMessageError('bad-topic', `unknown topic ${describeValue(t)} (topics: ${TOPICS.join(', ')})`);
    }
  }
  return [...new Set(value as Topic[])];
}

export function parseSourceIds(value: unknown, field = 'sources'): string[] {
  if (!Array.isArray(value)) throw new ClientMessageError('bad-source', `${field} must be an array of source ids, got ${describeValue(value)}`);
  if (value.length > CLIENT_LIMITS.maxSources) {
    throw new ClientMessageError('bad-source', `${field} may name at most ${CLIENT_LIMITS.maxSources} sources`);
  }
  for (const s of value) {
    if (typeof s !== 'string' || s.length > CLIENT_LIMITS.maxIdLength || !SOURCE_ID_PATTERN.test(s)) {
      throw new ClientMessageError('bad-source', `not a source id: ${describeValue(s)}`);
    }
  }
  return [...new Set(value as string[])];
}

export function parseBackfill(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > CLIENT_LIMITS.maxBackfill) {
    throw new ClientMessageError('bad-backfill', `backfill must be an integer from 0 to ${CLIENT_LIMITS.maxBackfill}`);
  }
  return value;
}

export function parseSince(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > CLIENT_LIMITS.maxEventIdLength) {
    throw new ClientMessageError('bad-since', 'since must be an event id string');
  }
  return value;
}

function checkKeys(msg: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(msg)) {
    if (!allowed.includes(key)) {
      throw new ClientMessageError('bad-message', `unknown field ${describeValue(key)} in ${describeValue(msg.type)} message`);
    }
  }
}

/** Parses one text frame. Throws ClientMessageError with a code a client (and a test) can act on. */
export function parseClientMessage(text: string): ClientMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw new ClientMessageError('bad-json', 'message is not valid JSON');
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    throw new ClientMessageError('bad-message', 'message must be a JSON object');
  }
  const m = msg as Record<string, unknown>;
  switch (m.type) {
    case 'subscribe': {
      checkKeys(m, ['type', 'topics', 'sources', 'since', 'backfill']);
      const out: SubscribeMessage = { type: 'subscribe' };
      if (m.topics !== undefined) out.topics = parseTopics(m.topics);
      if (m.sources !== undefined) out.sources = parseSourceIds(m.sources);
      if (m.since !== undefined) out.since = parseSince(m.since);
      if (m.backfill !== undefined) out.backfill = parseBackfill(m.backfill);
      return out;
    }
    case 'unsubscribe': {
      checkKeys(m, ['type', 'topics', 'sources']);
      const out: UnsubscribeMessage = { type: 'unsubscribe' };
      if (m.topics !== undefined) out.topics = parseTopics(m.topics);
      if (m.sources !== undefined) out.sources = parseSourceIds(m.sources);
      return out;
    }
    case 'ping':
      checkKeys(m, ['type']);
      return { type: 'ping' };
    default:
      throw new ClientMessageError(
        'unknown-type',
        `unknown message type ${describeValue(m.type)} (subscribe, unsubscribe, ping)`,
      );
  }
}
