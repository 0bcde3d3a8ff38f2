// Family `sse`: resuming the SSE stream from generated ids, given as the Last-Event-ID header, as
// `lastEventId=` or as `since=` (or two of them at once): ids of this run (old, current, far in the future,
// past the safe integers), of other runs, negative, unicode, empty, very long.
// Oracles: 200 with hello first for any id of 1 to CLIENT_LIMITS.maxEventIdLength characters (400 only outside
// that; ids carry a Redis cursor on a server with --redis, hence the room); an id of this
// run up to its head gets exactly the log events after it (compared with a client that has been
// listening all along), never a `reset`; any other id gets `reset` at once; event ids never go back.
import { request, type IncomingMessage } from 'node:http';
import fc from 'fast-check';
import WebSocket from 'ws';
import { CLIENT_LIMITS } from '../../protocol/client-messages';
import type { WireEvent } from '../../protocol/events';
import { SseParser } from '../../protocol/sse-parser';
import { expect, Violation, withTimeout, type Family, type FuzzOptions, type Property } from './harness';
import { checkServesGoodClient, expectAlive, expectNoClients, startInProcess, type Target } from './targets';

const ID = /^([0-9a-z]{1,32})-(0|[1-9][0-9]{0,15})$/;
const FILE = 'resume.log';

type Channel = 'header' | 'lastEventId' | 'since' | 'header+since' | 'since+lastEventId';

interface ResumeInput {
  channel: Channel;
  id: IdSpec;
  /** A second, different id for the channel that should lose (header+since: the query's). */
  other: IdSpec;
  linesBefore: number;
}

type IdSpec = { kind: 'seen'; pick: number } | { kind: 'n'; n: number } | { kind: 'text'; text: string };

const idSpec: fc.Arbitrary<IdSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ kind: 'seen' as const, pick })) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.nat({ max: 2000 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 53, 1e15, 9_999_999_999_999_999, 1e16), fc.integer({ min: -1000, max: -1 }))
      .map((n) => ({ kind: 'n' as const, n })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.string({ unit: 'binary-ascii', maxLength: 70 }),
        fc.stringMatching(/^[0-9a-z]{1,40}-[0-9]{1,20}$/),
        fc.integer({ min: 60, max: 5000 }).map((n) => 'x'.repeat(n)),
        fc.constantFrom('', ' ', '-', '-1', '0', '0-0', 'a-', '-5', 'A-1', '١٢٣-4', '\u202E1-1', 'null', 'undefined'),
      )
      .map((text) => ({ kind: 'text' as const, text })),
  },
);

/** Header values go through node:http: UTF-8 bytes as latin1, control characters left out. */
function headerSafe(text: string): string {
  return Buffer.from(text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, ''), 'utf8').toString('latin1');
}

interface Received {
  status: number;
  contentType: string;
  events: WireEvent[];
}

/** Opens the stream, waits for hello, appends a marker line, and reads until the marker arrives. */
function resume(target: Target, query: string, headers: Record<string, string>, marker: string, timeoutMs: number): Promise<Received> {
  return new Promise((resolve, reject) => {
    const events: WireEvent[] = [];
    let res: IncomingMessage | null = null;
    const req = request(
      { host: '127.0.0.1', port: target.port, path: `/api/events?topics=logs${query}`, headers: { Authorization: `Bearer ${target.token}`, ...headers } },
      (r) => {
        res = r;
        const contentType = r.headers['content-type'] ?? '';
        const done = () => {
          clearTimeout(timer);
          req.destroy();
          resolve({ status: r.statusCode ?? 0, contentType, events });
        };
        if (r.statusCode !== 200) {
          r.resume();
          r.on('end', done);
          r.on('error', done);
          return;
        }
        const parser = new SseParser((m) => {
          let data: object;
          try {
            data = JSON.parse(m.data) as object;
          } catch {
            return reject(new Violation('sse format', `data is not JSON: ${m.data.slice(0, 200)}`));
          }
          const event = { type: m.event, id: m.id, ...data } as WireEvent;
          events.push(event);
          if (events.length === 1) void target.append(FILE, `${marker}\n`);
          if (event.type === 'log' && event.lines.some((l) => l.text === marker)) done();
        });
        r.setEncoding('utf8');
        r.on('data', (c: string) => parser.push(c));
        r.on('end', () => reject(new Violation('sse', 'the stream ended before the marker line')));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Violation('hang', `no marker line within ${timeoutMs} ms (status ${(res as IncomingMessage | null)?.statusCode ?? 'none'}, ${events.length} events)`));
    }, timeoutMs);
    req.on('error', (err) => reject(new Violation('sse', `request failed: ${err.message}`)));
    req.end();
  });
}

/** A WebSocket client listening from the start: every log event, to compare resumed streams with. */
async function reference(target: Target): Promise<{ events: WireEvent[]; helloN: number; ws: WebSocket }> {
  const ws = new WebSocket(`ws://${target.host}/api/ws`, { headers: { Authorization: `Bearer ${target.token}` } });
  const events: WireEvent[] = [];
  ws.on('error', () => undefined);
  ws.on('message', (d) => events.push(JSON.parse(d.toString()) as WireEvent));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'subscribe', topics: ['logs'], backfill: 0 }));
  await withTimeout(
    (async () => {
      while (events.length === 0) await new Promise((r) => setTimeout(r, 5));
    })(),
    10_000,
    'the reference client to get hello',
  );
  return { events, helloN: Number(ID.exec(events[0]!.id)![2]), ws };
}

const nOf = (id: string) => {
  const m = ID.exec(id);
  return m ? Number(m[2]) : NaN;
};

let markerCount = 0;

export function sseProperties(target: Target, ref: { events: WireEvent[]; helloN: number }, options: FuzzOptions): Property<ResumeInput>[] {
  const tw = target.tw!;
  const idText = (spec: IdSpec): string => {
    if (spec.kind === 'text') return spec.text;
    if (spec.kind === 'n') return `${target.epoch}-${spec.n}`;
    const logs = ref.events.filter((e) => e.type === 'log');
    return logs.length === 0 ? `${target.epoch}-0` : logs[spec.pick % logs.length]!.id;
  };

  const resumeProperty: Property<ResumeInput> = {
    name: 'resume',
    arbitrary: fc.record({
      channel: fc.constantFrom<Channel>('header', 'lastEventId', 'since', 'header+since', 'since+lastEventId'),
      id: idSpec,
      other: idSpec,
      linesBefore: fc.integer({ min: 0, max: 3 }),
    }),
    run: async (input) => {
      if (input.linesBefore > 0) {
        await target.append(FILE, Array.from({ length: input.linesBefore }, (_, i) => `before ${++markerCount} ${i}\n`).join(''));
      }
      let id = idText(input.id);
      const other = idText(input.other);
      const headers: Record<string, string> = {};
      let query = '';
      if (input.channel.startsWith('header')) {
        id = headerSafe(id);
        headers['Last-Event-ID'] = id;
      }
      if (input.channel === 'lastEventId') query += `&lastEventId=${encodeURIComponent(id)}`;
      if (input.channel === 'since') query += `&since=${encodeURIComponent(id)}`;
      if (input.channel === 'header+since') query += `&since=${encodeURIComponent(other)}`;
      if (input.channel === 'since+lastEventId') {
        query += `&since=${encodeURIComponent(id)}&lastEventId=${encodeURIComponent(other)}`;
      }
      // Node trims header values; an empty (or blank) header is no header: then the query's id is the one.
      let effective = id;
      if (input.channel.startsWith('header')) {
        effective = id.replace(/^[ \t]+|[ \t]+$/g, '');
        if (effective === '' && input.channel === 'header') return;
        if (effective === '') effective = other;
      }
      const head = tw.hub.ring.headN;
      const marker = `marker ${process.pid} ${++markerCount}`;
      const got = await resume(target, query, headers, marker, options.stepTimeoutMs).catch((err: unknown) => {
        expectAlive(target);
        throw err;
      });
      const length = effective.length;
      const what = () => `resume ${input.channel} id ${JSON.stringify(effective).slice(0, 100)} → ${got.status}`;
      if (length < 1 || length > CLIENT_LIMITS.maxEventIdLength) {
        expect(got.status === 400, 'status', () => `${what()}: an id of ${effective.length} characters must get 400`);
        await expectNoClients(target, 1);
        return;
      }
      expect(got.status === 200, 'status', () => `${what()}: an id of 1 to ${CLIENT_LIMITS.maxEventIdLength} characters must be taken (a reset if unknown)`);
      expect(got.contentType.startsWith('text/event-stream'), 'sse format', () => `${what()}: Content-Type ${got.contentType}`);
      expect(got.events[0]?.type === 'hello', 'sse format', () => `${what()}: the first event is ${got.events[0]?.type}`);
      const m = ID.exec(effective);
      const n = m && Number.isSafeInteger(Number(m[2])) ? Number(m[2]) : null;
      const ours = m !== null && m[1] === target.epoch && n !== null;
      const logIds = got.events.filter((e) => e.type === 'log').map((e) => e.id);
      expect(new Set(logIds).size === logIds.length, 'repeat', () => `${what()}: a log event came twice`);
      const ns = got.events.slice(1).map((e) => nOf(e.id)).filter((x) => !Number.isNaN(x));
      expect(ns.every((x, i) => i === 0 || x >= ns[i - 1]!), 'order', () => `${what()}: event ids go back: ${ns.join(',').slice(0, 300)}`);
      if (ours && n! <= head) {
        expect(!got.events.some((e) => e.type === 'reset'), 'resume', () => `${what()}: reset for an id of this run (head was ${head})`);
        if (n! >= ref.helloN && !got.events.some((e) => e.type === 'gap')) {
          await withTimeout(
            (async () => {
              while (!ref.events.some((e) => e.type === 'log' && e.lines.some((l) => l.text === marker))) await new Promise((r) => setTimeout(r, 5));
            })(),
            options.stepTimeoutMs,
            'the reference client to get the marker',
          );
          const upTo = ref.events.findIndex((e) => e.type === 'log' && e.lines.some((l) => l.text === marker));
          const expected = ref.events.slice(0, upTo + 1).filter((e) => e.type === 'log' && nOf(e.id) > n!);
          const gotLogs = got.events.filter((e) => e.type === 'log');
          const brief = (list: WireEvent[]) => list.map((e) => (e.type === 'log' ? `${e.id}:${e.lines.map((l) => l.seq).join('/')}` : e.id)).join(' ');
          expect(JSON.stringify(gotLogs) === JSON.stringify(expected), 'resume', () => `${what()}: got [${brief(gotLogs).slice(0, 400)}], expected [${brief(expected).slice(0, 400)}]`);
        }
      } else if (!ours || n! > head + 100) {
        expect(got.events[1]?.type === 'reset', 'resume', () => `${what()}: expected a reset right after hello (head ${head}), got ${got.events[1]?.type}`);
      }
      await expectNoClients(target, 1);
    },
  };
  return [resumeProperty];
}

export const sseFamily: Family = {
  name: 'sse',
  summary: 'SSE resume ids (Last-Event-ID, lastEventId=, since=) against an in-process server',
  async open(options) {
    const target = await startInProcess();
    await target.append(FILE, 'start\n');
    const ref = await reference(target);
    const properties = sseProperties(target, ref, options);
    return {
      properties,
      check: async () => {
        expect(ref.ws.readyState === WebSocket.OPEN, 'reference', () => 'the reference client was disconnected');
        // The reference client is one open stream: the good client's check counts on none.
        const before = await target.clientsConnected();
        expect(before === 1, 'client leak', () => `${before} streams open, only the reference client should be`);
        ref.ws.terminate();
        await checkServesGoodClient(target);
        const again = await reference(target);
        ref.events = again.events;
        ref.helloN = again.helloN;
        ref.ws = again.ws;
      },
      memory: () => target.memory(),
      close: async () => {
        ref.ws.terminate();
        await target.close();
      },
    };
  },
};
