// Family `ws`: what a WebSocket client can send to /api/ws. JSON of any shape and depth, subscribe and
// unsubscribe messages with hostile fields, text that is not JSON, raw frames (invalid UTF-8, binary,
// fragmented, unmasked, reserved bits, oversized), and bursts of subscribes naming new sources.
// Oracles: every message is followed by an answer to a ping (the server read it and lives on) or by a
// close with a code RFC 6455 gives for it; what the server sends is JSON events with a type and an id; a
// message the contract calls malformed gets an `error`; memory a connection holds stays bounded.
import fc from 'fast-check';
import WebSocket from 'ws';
import { collectGarbage, expect, MiB, Violation, withTimeout, type AnyProperty, type Family, type FamilySession, type FuzzOptions, type Property } from './harness';
import { closeCode, frameBytes, rawUpgrade, type FrameSpec } from './raw-ws';
import { splitAt } from './raw-http';
import { checkServesGoodClient, expectAlive, expectNoClients, startInProcess, type Target } from './targets';

/** The server's frame limit (main/server/ws.ts WS_MAX_PAYLOAD): larger frames close with 1009. */
const MAX_PAYLOAD = 64 * 1024;
const TOPICS = ['logs', 'metrics', 'sources', 'processes'];
const ERROR_CODES = new Set(['bad-json', 'bad-message', 'unknown-type', 'bad-topic', 'bad-source', 'bad-since', 'bad-backfill', 'too-many-sources', 'internal']);
/** Close codes a server may use for what a client sent (RFC 6455 §7.4.1), and 1006 (no close frame). */
const CLOSE_CODES = new Set([1002, 1003, 1007, 1008, 1009, 1011, 1006, 1005]);
/** Heap one connection may keep after a burst of subscribes (in-process only). */
const BURST_HEAP_BOUND = 48 * MiB;
const PING = '{"type":"ping"}';

// ---------------------------------------------------------------------------------------------------------
// A connection through the `ws` client.

interface Conn {
  ws: WebSocket;
  texts: string[];
  closed: { code: number; reason: string } | null;
}

async function openConn(target: Target, timeoutMs: number): Promise<Conn> {
  const ws = new WebSocket(`ws://${target.host}/api/ws`, { headers: { Authorization: `Bearer ${target.token}` }, perMessageDeflate: false });
  const conn: Conn = { ws, texts: [], closed: null };
  ws.on('error', () => undefined);
  ws.on('message', (data, isBinary) => {
    const text = data.toString();
    conn.texts.push(isBinary ? `<binary frame from the server: ${text.slice(0, 80)}>` : text);
  });
  ws.on('close', (code, reason) => (conn.closed = { code, reason: reason.toString() }));
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Violation('upgrade', `a good upgrade was refused with ${res.statusCode}`)));
      ws.once('close', () => reject(new Violation('upgrade', 'closed before open')));
    }),
    timeoutMs,
    'WebSocket upgrade',
  );
  return conn;
}

let pingCount = 0;

/**
 * Sends `payload`, then a WebSocket ping (RFC 6455 §5.5.2); resolves once its pong came or the connection
 * closed. The server reads frames in order and answers a message as it reads it, so the pong tells that
 * the message was handled, and its answers (if any) came before.
 */
async function sendThenPing(target: Target, conn: Conn, payload: string | Buffer, binary: boolean, options: FuzzOptions): Promise<void> {
  if (conn.closed) return;
  const nonce = `sync ${++pingCount}`;
  conn.ws.send(payload, { binary });
  conn.ws.ping(nonce);
  await withTimeout(
    new Promise<void>((resolve) => {
      const done = () => {
        conn.ws.off('pong', onPong);
        conn.ws.off('close', done);
        resolve();
      };
      const onPong = (data: Buffer) => data.toString() === nonce && done();
      conn.ws.on('pong', onPong);
      conn.ws.on('close', done);
      if (conn.closed || conn.ws.readyState === WebSocket.CLOSED) done();
    }),
    options.stepTimeoutMs,
    `a pong after a ${binary ? 'binary' : 'text'} message of ${payload.length} ${typeof payload === 'string' ? 'chars' : 'bytes'}`,
  ).catch((err: unknown) => {
    expectAlive(target);
    throw err;
  });
  expectAlive(target);
}

/** Every frame the server sent is one JSON event with a string type and an ASCII id; errors are well-formed. */
function checkServerMessages(conn: Conn): void {
  for (const text of conn.texts) {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Violation('server message', `not JSON: ${text.slice(0, 200)}`);
    }
    expect(typeof event.type === 'string' && typeof event.id === 'string' && /^[\x21-\x7e]{1,80}$/.test(event.id), 'server message', () => `no type or no ASCII id: ${text.slice(0, 200)}`);
    if (event.type === 'error') {
      expect(typeof event.code === 'string' && ERROR_CODES.has(event.code), 'server message', () => `error code not in the protocol: ${text.slice(0, 200)}`);
      expect(typeof event.message === 'string' && event.message.length > 0 && !/[\r\n]/.test(event.message), 'server message', () => `error message empty or multi-line: ${text.slice(0, 300)}`);
    }
  }
}

function errorCount(conn: Conn): number {
  return conn.texts.filter((t) => t.startsWith('{"type":"error"')).length;
}

async function closeConn(target: Target, conn: Conn): Promise<void> {
  conn.ws.terminate();
  await expectNoClients(target);
}

/** The close a connection got must be one a server gives for bad input. */
function checkClose(conn: Conn, why: string): void {
  if (!conn.closed) return;
  expect(CLOSE_CODES.has(conn.closed.code), 'close code', () => `closed with ${conn.closed!.code} (${conn.closed!.reason}) after ${why}`);
}

// ---------------------------------------------------------------------------------------------------------
// Generators.

const topicName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOPICS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const sourceId = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{65,70}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', '../../etc/passwd', '/var/log/syslog', 'a b', '\u202Eevil', 'x'.repeat(64)) },
);
/** A resume id: well-formed for this run or another, or not an id at all. */
const sinceId = (epoch: string) =>
  fc.oneof(
    fc.nat({ max: 1000 }).map((n) => `${epoch}-${n}`),
    fc.constantFrom(`${epoch}-9007199254740991`, `${epoch}-9999999999999999`, `${epoch}-99999999999999999999`, `${epoch}--1`, `${epoch}-01`, `${epoch}-1e3`),
    fc.tuple(fc.stringMatching(/^[0-9a-z]{1,32}$/), fc.nat()).map(([e, n]) => `${e}-${n}`),
    fc.string({ unit: 'binary', maxLength: 70 }),
    fc.integer().map(String),
  );
/** Any JSON value, fields included: what `odd types` means for a field. */
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, -0, '', [], {}, [[]], { type: 'ping' }),
  fc.array(fc.constantFrom(...TOPICS), { minLength: 1000, maxLength: 6000 }),
);

interface SubscribeInput {
  type: string;
  fields: Record<string, unknown>;
}

function subscribeMessage(epoch: string): fc.Arbitrary<SubscribeInput> {
  return fc.record({
    type: fc.constantFrom('subscribe', 'subscribe', 'unsubscribe', 'ping'),
    fields: fc.record(
      {
        topics: fc.oneof({ weight: 3, arbitrary: fc.array(topicName, { maxLength: 8 }) }, { weight: 1, arbitrary: oddValue }),
        sources: fc.oneof(
          { weight: 3, arbitrary: fc.array(sourceId, { maxLength: 10 }) },
          { weight: 1, arbitrary: fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), { minLength: 990, maxLength: 1200 }) },
          { weight: 1, arbitrary: oddValue },
        ),
        since: fc.oneof({ weight: 3, arbitrary: sinceId(epoch) }, { weight: 1, arbitrary: oddValue }),
        backfill: fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: -5, max: 200 }) },
          { weight: 1, arbitrary: fc.constantFrom(100_000, 100_001, 1e9, -0, 0.5, Number.MAX_SAFE_INTEGER, 1e308) },
          { weight: 1, arbitrary: oddValue },
        ),
        extra: oddValue,
      },
      { requiredKeys: [] },
    ),
  });
}

/** The contract's rule for a subscribe/unsubscribe/ping message (protocol/client-messages.ts, written again). */
function contractValid(input: SubscribeInput): boolean {
  const f = input.fields;
  const allowed = input.type === 'ping' ? [] : input.type === 'unsubscribe' ? ['topics', 'sources'] : ['topics', 'sources', 'since', 'backfill'];
  for (const key of Object.keys(f)) if (!allowed.includes(key)) return false;
  if ('topics' in f && !(Array.isArray(f.topics) && f.topics.every((t) => TOPICS.includes(t as string)))) return false;
  if ('sources' in f && !(Array.isArray(f.sources) && f.sources.length <= 1000 && f.sources.every((s) => typeof s === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(s)))) {
    return false;
  }
  if ('since' in f && !(typeof f.since === 'string' && f.since.length >= 1 && f.since.length <= 64)) return false;
  if ('backfill' in f && !(typeof f.backfill === 'number' && Number.isInteger(f.backfill) && f.backfill >= 0 && f.backfill <= 100_000)) return false;
  return true;
}

type Slot = 'type' | 'topics' | 'topics-item' | 'sources' | 'sources-item' | 'since' | 'backfill' | 'extra' | 'top';
interface DeepInput {
  depth: number;
  shape: 'array' | 'object' | 'mixed';
  slot: Slot;
}

/** A value nested `depth` deep, built as a string (JSON.stringify would itself overflow). */
function deepValue({ depth, shape }: DeepInput): string {
  if (shape === 'array') return '['.repeat(depth) + ']'.repeat(depth);
  if (shape === 'object') return '{"a":'.repeat(depth) + '0' + '}'.repeat(depth);
  const open = '[{"a":'.repeat(Math.ceil(depth / 2));
  return open + '0' + '}]'.repeat(Math.ceil(depth / 2));
}

function deepMessage(input: DeepInput): string {
  const v = deepValue(input);
  switch (input.slot) {
    case 'top':
      return v;
    case 'type':
      return `{"type":${v}}`;
    case 'topics':
      return `{"type":"subscribe","topics":${v}}`;
    case 'topics-item':
      return `{"type":"subscribe","topics":["logs",${v}]}`;
    case 'sources':
      return `{"type":"subscribe","sources":${v}}`;
    case 'sources-item':
      return `{"type":"unsubscribe","sources":["a",${v}]}`;
    case 'since':
      return `{"type":"subscribe","since":${v}}`;
    case 'backfill':
      return `{"type":"subscribe","backfill":${v}}`;
    case 'extra':
      return `{"type":"ping","extra":${v}}`;
  }
}

/** Text that is nearly JSON, or not at all. */
const nonJsonText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom(
    '',
    ' ',
    '{',
    '{"type":"ping"',
    '{"type":"ping"}}',
    "{'type':'ping'}",
    '{"type":"ping",}',
    '{"type":"ping"}\u0000',
    '\uFEFF{"type":"ping"}',
    'NaN',
    'Infinity',
    '-',
    '1e999999',
    '{"type":"ping","type":"subscribe"}',
    '{"type":"ping","__proto__":{"type":"subscribe"}}',
    '{"__proto__":{"type":"ping"}}',
    '{"type":"constructor"}',
    '{"type":"toString"}',
    '{"type":"hasOwnProperty"}',
    '{"type":"subscribe","topics":{"length":1,"0":"logs"}}',
    '{"type":"subscribe","backfill":1e400}',
    '{"type":"subscribe","since":"\\ud800"}',
    'null',
    '"ping"',
    '[{"type":"ping"}]',
  ),
  fc.tuple(fc.constantFrom('{"type":"ping"}', '{"type":"subscribe","topics":["logs"]}'), fc.nat(), fc.string({ unit: 'binary', maxLength: 5 })).map(
    ([json, at, junk]) => json.slice(0, at % (json.length + 1)) + junk + json.slice(at % (json.length + 1)),
  ),
  fc.nat({ max: 100_000 }).map((n) => `{"type":"ping","pad":"${'x'.repeat(n)}"}`),
);

interface FrameInput {
  frames: FrameSpec[];
  /** Byte offsets where the whole stream is cut into separate writes. */
  cuts: number[];
}

const payloadBytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.constantFrom(PING, '{"type":"subscribe","topics":["logs"]}', '{"type":"ping"').map((s) => Buffer.from(s)),
  // Invalid UTF-8: lone continuation, overlong, surrogate halves, truncated sequences, 0xFF.
  fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff], [0xf0, 0x9f, 0x98]).map((b) => Buffer.from([0x7b, ...b, 0x7d])),
);

/** A message split into fragments (text or binary), control frames possibly interleaved. */
const fragmented = fc
  .tuple(fc.constantFrom(1, 2), payloadBytes, fc.array(fc.nat(), { maxLength: 4 }), fc.boolean())
  .map(([opcode, payload, cuts, pingInside]) => {
    const parts = splitAt(payload, cuts);
    if (parts.length === 0) parts.push(new Uint8Array());
    const frames: FrameSpec[] = parts.map((p, i) => ({ fin: i === parts.length - 1, rsv: 0, opcode: i === 0 ? opcode : 0, masked: true, payload: p }));
    if (pingInside && frames.length > 1) frames.splice(1, 0, { fin: true, rsv: 0, opcode: 9, masked: true, payload: Buffer.from('hi') });
    return frames;
  });

const oneFrame: fc.Arbitrary<FrameSpec> = fc.record({
  fin: fc.boolean(),
  rsv: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
  opcode: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(0, 1, 2, 8, 9, 10) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
  masked: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  payload: payloadBytes,
  declaredLength: fc.option(fc.constantFrom(MAX_PAYLOAD + 1, 2 ** 32, 2 ** 53 - 1, 2 ** 63), { freq: 12, nil: undefined }),
});

const frameInput: fc.Arbitrary<FrameInput> = fc.record({
  frames: fc.oneof(fc.array(oneFrame, { minLength: 1, maxLength: 4 }), fragmented, fc.tuple(fragmented, fc.array(oneFrame, { maxLength: 2 })).map(([a, b]) => [...a, ...b])),
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
});

/**
 * Whether RFC 6455 lets the connection go on after these frames: masked, no reserved bits (no extension is
 * negotiated), known opcodes, fragments in order, control frames short and whole, text valid UTF-8.
 */
function framesKeepConnection(frames: readonly FrameSpec[]): boolean {
  let fragmentedOpcode = 0;
  let textParts: Uint8Array[] = [];
  for (const f of frames) {
    if (!f.masked || f.rsv !== 0 || f.declaredLength !== undefined) return false;
    if (f.opcode >= 8) {
      if (![9, 10].includes(f.opcode) || !f.fin || f.payload.length > 125) return false;
      continue;
    }
    if (f.opcode === 0) {
      if (fragmentedOpcode === 0) return false;
    } else if (f.opcode === 1 || f.opcode === 2) {
      if (fragmentedOpcode !== 0) return false;
      fragmentedOpcode = f.opcode;
      textParts = [];
    } else return false;
    if (fragmentedOpcode === 1) textParts.push(f.payload);
    if (f.fin) {
      if (fragmentedOpcode === 1 && !isUtf8(Buffer.concat(textParts))) return false;
      fragmentedOpcode = 0;
    }
  }
  // A message left unfinished makes the server wait for the rest: the ping after it would be a fragment error.
  return fragmentedOpcode === 0;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Properties.

/** The properties of this family against `target` (also used by the `cli` family). */
export function wsProperties(target: Target, options: FuzzOptions): AnyProperty[] {
  const step = options.stepTimeoutMs;

  /** Sends each message as text (or binary), each followed by a ping; checks everything the server said. */
  const exchangeMessages = async (messages: (string | Buffer)[], binary = false): Promise<Conn> => {
    const conn = await openConn(target, step);
    try {
      for (const m of messages) {
        await sendThenPing(target, conn, m, binary, options);
        const size = typeof m === 'string' ? Buffer.byteLength(m) : m.length;
        if (conn.closed) {
          expect(size > MAX_PAYLOAD || conn.closed.code !== 1009, 'close code', () => `closed with 1009 for a message of ${size} bytes`);
          checkClose(conn, `a message of ${size} bytes`);
          expect(size > MAX_PAYLOAD, 'connection dropped', () => `the server closed (${conn.closed!.code}) after a message of ${size} bytes, under the limit`);
          break;
        }
        expect(size <= MAX_PAYLOAD, 'frame limit', () => `a message of ${size} bytes, over the ${MAX_PAYLOAD} limit, was taken`);
      }
      checkServerMessages(conn);
      return conn;
    } finally {
      await closeConn(target, conn);
    }
  };

  const jsonValues: AnyProperty = {
    name: 'json-values',
    arbitrary: fc.oneof(
      fc.jsonValue({ maxDepth: 6 }),
      fc.dictionary(fc.oneof(fc.constantFrom('type', 'topics', 'sources', 'since', 'backfill'), fc.string()), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }),
      fc.record({ type: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'ping', 'pong', 'hello', ''), fc.jsonValue({ maxDepth: 3 })) }),
    ),
    run: async (value: unknown) => {
      await exchangeMessages([JSON.stringify(value) ?? 'null']);
    },
  };

  const deepNesting: Property<DeepInput> = {
    name: 'deep-nesting',
    arbitrary: fc.record({
      depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 100, max: 32_000 })),
      shape: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
      slot: fc.constantFrom<Slot>('type', 'topics', 'topics-item', 'sources', 'sources-item', 'since', 'backfill', 'extra', 'top'),
    }),
    run: async (input) => {
      await exchangeMessages([deepMessage(input)]);
    },
  };

  const hostileFields: Property<SubscribeInput> = {
    name: 'hostile-fields',
    arbitrary: subscribeMessage(target.epoch),
    run: async (input) => {
      const text = JSON.stringify({ type: input.type, ...input.fields });
      const conn = await exchangeMessages([text]);
      if (!contractValid(input) && Buffer.byteLength(text) <= MAX_PAYLOAD && !conn.closed) {
        expect(errorCount(conn) >= 1, 'validation', () => `a message the contract calls malformed got no error: ${text.slice(0, 300)}`);
      }
    },
  };

  const notJson: Property<string> = {
    name: 'non-json-text',
    arbitrary: nonJsonText,
    run: async (text) => {
      const conn = await exchangeMessages([text]);
      let parsed: unknown;
      let valid = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        valid = false;
      }
      if (!valid && !conn.closed) expect(errorCount(conn) >= 1, 'validation', () => `text that is not JSON got no error: ${JSON.stringify(text).slice(0, 200)}`);
      if (valid && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) && !conn.closed) {
        expect(errorCount(conn) >= 1, 'validation', () => `JSON that is not an object got no error: ${text.slice(0, 200)}`);
      }
    },
  };

  const binaryMessages: Property<Uint8Array[]> = {
    name: 'binary-messages',
    arbitrary: fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant(Buffer.from(PING))), { minLength: 1, maxLength: 4 }),
    run: async (messages) => {
      const conn = await exchangeMessages(messages.map((m) => Buffer.from(m)), true);
      if (!conn.closed) expect(errorCount(conn) >= messages.length, 'validation', () => `${messages.length} binary frames got ${errorCount(conn)} errors`);
    },
  };

  const rawFrames: Property<FrameInput> = {
    name: 'raw-frames',
    arbitrary: frameInput,
    run: async ({ frames, cuts }) => {
      const conn = await rawUpgrade(target.port, target.token, step);
      try {
        const bytes = Buffer.concat([...frames.map(frameBytes), frameBytes({ fin: true, rsv: 0, opcode: 1, masked: true, payload: Buffer.from(PING) })]);
        for (const chunk of splitAt(bytes, cuts)) conn.write(chunk);
        const keepsOpen = framesKeepConnection(frames);
        await withTimeout(
          (async () => {
            while (!conn.closed && !conn.frames.some((f) => f.opcode === 1 && f.payload.toString().startsWith('{"type":"pong"'))) await conn.next();
          })(),
          step,
          'a pong or a close after raw frames',
        ).catch((err: unknown) => {
          expectAlive(target);
          throw err;
        });
        expectAlive(target);
        const close = conn.frames.find((f) => f.opcode === 8);
        const code = close ? closeCode(close) : conn.closed ? 1006 : null;
        if (code !== null) {
          expect(CLOSE_CODES.has(code), 'close code', () => `raw frames closed with ${code}`);
          expect(!keepsOpen, 'connection dropped', () => `valid frames closed the connection with ${code}`);
        }
        for (const f of conn.frames) {
          if (f.opcode === 1) expect(isUtf8(f.payload), 'server message', () => 'a text frame from the server is not UTF-8');
        }
      } finally {
        conn.socket.destroy();
      }
      await expectNoClients(target);
    },
  };

  const subscribeBurst: Property<{ count: number; idsPerMessage: number; since: boolean; seed: number }> = {
    name: 'subscribe-burst',
    arbitrary: fc.record({ count: fc.integer({ min: 1, max: 400 }), idsPerMessage: fc.integer({ min: 1, max: 900 }), since: fc.boolean(), seed: fc.nat() }),
    run: async ({ count, idsPerMessage, since, seed }) => {
      const conn = await openConn(target, step);
      try {
        const tw = target.tw;
        if (tw) collectGarbage();
        const heapBefore = process.memoryUsage().heapUsed;
        let n = seed;
        for (let m = 0; m < count; m++) {
          const sources = Array.from({ length: idsPerMessage }, () => `s${(n++).toString(36)}x${m}`.padEnd(60, 'y'));
          const msg: Record<string, unknown> = { type: 'subscribe', topics: ['logs'], sources };
          if (since) msg.since = `${target.epoch}-${m}`;
          conn.ws.send(JSON.stringify(msg));
        }
        await sendThenPing(target, conn, PING, false, options);
        if (conn.closed) checkClose(conn, 'a burst of subscribes');
        checkServerMessages(conn);
        if (tw && !conn.closed) {
          collectGarbage();
          const held = process.memoryUsage().heapUsed - heapBefore;
          expect(held < BURST_HEAP_BOUND, 'memory', () => `one connection holds ${(held / MiB).toFixed(1)} MiB after ${count} subscribes of ${idsPerMessage} new source ids each`);
        }
      } finally {
        await closeConn(target, conn);
      }
    },
  };

  const textMessages: Property<string[]> = {
    name: 'message-sequences',
    arbitrary: fc.array(
      fc.oneof(
        subscribeMessage(target.epoch).map((i) => JSON.stringify({ type: i.type, ...i.fields })),
        nonJsonText,
        fc.constant(PING),
      ),
      { minLength: 2, maxLength: 12 },
    ),
    run: async (messages) => {
      await exchangeMessages(messages);
    },
  };

  return [jsonValues, deepNesting, hostileFields, notJson, binaryMessages, rawFrames, subscribeBurst, textMessages];
}

export function serverSession(target: Target, properties: AnyProperty[]): FamilySession {
  return {
    properties,
    check: () => checkServesGoodClient(target),
    memory: () => target.memory(),
    close: () => target.close(),
  };
}

export const wsFamily: Family = {
  name: 'ws',
  summary: 'WebSocket messages and frames to /api/ws of an in-process server',
  async open(options) {
    const target = await startInProcess();
    return serverSession(target, wsProperties(target, options));
  },
};
