// Reads a message from the page. Nothing is taken on trust: a malformed message is described (for the
// console) instead of reaching code that would throw on it, and a valid one is rebuilt from known fields.
import type { FilterSpec, HighlightRule, LevelKey, PageMessage, ServerEndpoint, TransportPreference, ViewSpec } from '../worker-channel/worker-protocol';

const TRANSPORTS: Readonly<Record<TransportPreference, true>> = { auto: true, sse: true, ws: true, poll: true };
const LEVELS: Readonly<Record<LevelKey, true>> = { fatal: true, error: true, warn: true, info: true, debug: true, trace: true, none: true };

type Fields = Record<string, unknown>;

const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isTransport = (value: unknown): value is TransportPreference => typeof value === 'string' && Object.hasOwn(TRANSPORTS, value);
const isLevels = (value: unknown): value is LevelKey[] => isStrings(value) && value.every((level) => Object.hasOwn(LEVELS, level));

/** What is wrong with one field, in words for the console. */
function bad(type: string, field: string, value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return `${type} message: bad ${field}: ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`;
}

/** The message, or why it is not one. */
export function readPageMessage(data: unknown): PageMessage | string {
  if (!isRecord(data) || typeof data.type !== 'string') return bad('page', 'message', data);
  const m = data;
  switch (m.type) {
    case 'connect': {
      const server = readServer(m.server);
      if (server === null) return bad(m.type, 'server', m.server);
      if (!isTransport(m.transport)) return bad(m.type, 'transport', m.transport);
      if (!isInteger(m.backfill) || m.backfill < 0) return bad(m.type, 'backfill', m.backfill);
      if (!isInteger(m.bufferLines) || m.bufferLines < 1) return bad(m.type, 'bufferLines', m.bufferLines);
      return { type: m.type, server, transport: m.transport, backfill: m.backfill, bufferLines: m.bufferLines };
    }
    case 'views': {
      if (!Array.isArray(m.views)) return bad(m.type, 'views', m.views);
      const views: ViewSpec[] = [];
      for (const view of m.views as unknown[]) {
        if (!isRecord(view) || typeof view.id !== 'string' || !(view.sources === null || isStrings(view.sources))) return bad(m.type, 'view', view);
        views.push({ id: view.id, sources: view.sources === null ? null : [...view.sources] });
      }
      return { type: m.type, views };
    }
    case 'filter': {
      const filter = readFilter(m.filter);
      if (filter === null) return bad(m.type, 'filter', m.filter);
      if (!Array.isArray(m.highlights)) return bad(m.type, 'highlights', m.highlights);
      const highlights: HighlightRule[] = [];
      for (const rule of m.highlights as unknown[]) {
        if (!isRecord(rule) || typeof rule.query !== 'string' || typeof rule.color !== 'string') return bad(m.type, 'highlight rule', rule);
        highlights.push({ query: rule.query, color: rule.color });
      }
      return { type: m.type, filter, highlights };
    }
    case 'window':
      if (typeof m.view !== 'string') return bad(m.type, 'view', m.view);
      if (typeof m.follow !== 'boolean') return bad(m.type, 'follow', m.follow);
      if (!isInteger(m.first)) return bad(m.type, 'first', m.first);
      if (!isInteger(m.count) || m.count < 0) return bad(m.type, 'count', m.count);
      return { type: m.type, view: m.view, follow: m.follow, first: m.first, count: m.count };
    case 'frame':
      return { type: m.type };
    case 'seek':
      if (!isInteger(m.requestId)) return bad(m.type, 'requestId', m.requestId);
      if (typeof m.view !== 'string') return bad(m.type, 'view', m.view);
      if (typeof m.ts !== 'number' || !Number.isFinite(m.ts)) return bad(m.type, 'ts', m.ts);
      if (m.line === undefined) return { type: m.type, requestId: m.requestId, view: m.view, ts: m.ts };
      if (typeof m.line !== 'object' || m.line === null) return bad(m.type, 'line', m.line);
      {
        const line = m.line as Record<string, unknown>;
        if (typeof line.source !== 'string' || !isInteger(line.seq)) return bad(m.type, 'line', m.line);
        return { type: m.type, requestId: m.requestId, view: m.view, ts: m.ts, line: { source: line.source, seq: line.seq } };
      }
    case 'export': {
      if (!isInteger(m.requestId)) return bad(m.type, 'requestId', m.requestId);
      if (typeof m.view !== 'string') return bad(m.type, 'view', m.view);
      if (m.first !== undefined && !isInteger(m.first)) return bad(m.type, 'first', m.first);
      if (m.last !== undefined && !isInteger(m.last)) return bad(m.type, 'last', m.last);
      const range = { ...(m.first === undefined ? {} : { first: m.first }), ...(m.last === undefined ? {} : { last: m.last }) };
      return { type: m.type, requestId: m.requestId, view: m.view, ...range };
    }
    case 'older':
      if (typeof m.view !== 'string') return bad(m.type, 'view', m.view);
      return { type: m.type, view: m.view };
    case 'clear':
      if (typeof m.view !== 'string') return bad(m.type, 'view', m.view);
      return { type: m.type, view: m.view };
    case 'fold':
      if (typeof m.view !== 'string') return bad(m.type, 'view', m.view);
      if (!isInteger(m.generation)) return bad(m.type, 'generation', m.generation);
      if (!isInteger(m.index)) return bad(m.type, 'index', m.index);
      if (typeof m.open !== 'boolean') return bad(m.type, 'open', m.open);
      return { type: m.type, view: m.view, generation: m.generation, index: m.index, open: m.open };
    default:
      return bad('page', 'type', m.type);
  }
}

/** Only an http(s) root: the worker builds every URL on it, and sends the token nowhere else. */
function readServer(value: unknown): ServerEndpoint | null {
  if (!isRecord(value) || typeof value.base !== 'string' || !(value.token === null || typeof value.token === 'string')) return null;
  let base: URL;
  try {
    base = new URL(value.base);
  } catch {
    return null;
  }
  if ((base.protocol !== 'http:' && base.protocol !== 'https:') || base.pathname !== '/' || base.search !== '' || base.hash !== '') return null;
  return { base: base.href, token: value.token };
}

function readFilter(value: unknown): FilterSpec | null {
  if (!isRecord(value)) return null;
  const { query, invert, mode, hiddenLevels, hiddenSources } = value;
  if (typeof query !== 'string' || typeof invert !== 'boolean' || (mode !== 'filter' && mode !== 'highlight')) return null;
  if (!isLevels(hiddenLevels) || !isStrings(hiddenSources)) return null;
  return { query, invert, mode, hiddenLevels: [...hiddenLevels], hiddenSources: [...hiddenSources] };
}
