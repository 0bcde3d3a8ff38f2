// Family `renderer`: the dashboard's pure text functions under Node, with any string: ANSI stripping and
// style runs, link finding, the filter query and highlight rules, a row's decoration, the JSON view's
// formatter, and the marking of invisible characters.
// Oracles: no exception; every offset within its text, ranges ordered and not empty; outputs within their
// limits; stripAnsi leaves no ESC; formatJson takes exactly what JSON.parse takes and keeps its value;
// no call takes more than a second (a line is drawn at 60 frames a second).
import fc from 'fast-check';
import { describeCharacter, INVISIBLE_IN_LINES, INVISIBLE_IN_NAMES, splitAtInvisible, visibleName } from '../../protocol/visible-text';
import type { LogLevel } from '../../protocol/events';
import { ANSI_LIMITS, stripAnsi, styleRuns } from '../../renderer/services/ansi';
import { HeldLine } from '../../renderer/log-worker/held-rows';
import { FILTER_LIMITS, LineFilter } from '../../renderer/log-worker/line-filter';
import { findLinks, LINK_LIMITS } from '../../renderer/log-worker/links';
import { compileQuery } from '../../renderer/log-worker/query';
import { decorateRow, DECORATION_LIMITS } from '../../renderer/log-worker/row-decoration';
import { formatJson, JsonSyntaxError } from '../../renderer/log-panel/json-format';
import type { FilterSpec, LevelKey, MarkRange, StyleRun } from '../../renderer/worker-channel/worker-protocol';
import { callWithin, expect, heapGrowthFromNow, MiB, Violation, type Family, type Property } from './harness';

/** One call may take this long; past it a line would freeze the page (it is stopped at CALL_LIMIT_MS). */
const CALL_MS = 1000;
const CALL_LIMIT_MS = 1500;

function timed<T>(what: string, input: string, f: () => T): T {
  const t0 = performance.now();
  let out: T;
  try {
    out = callWithin(CALL_LIMIT_MS, () => `${what} on ${JSON.stringify(input).slice(0, 200)}`, f);
  } catch (err) {
    if (err instanceof Violation) throw err;
    throw new Violation('exception', `${what} threw ${(err as Error)?.name}: ${(err as Error)?.message?.slice(0, 200)} for ${JSON.stringify(input).slice(0, 200)}`);
  }
  const ms = performance.now() - t0;
  expect(ms < CALL_MS, 'slow', () => `${what} took ${ms.toFixed(0)} ms on ${input.length} characters`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Text generators: any string, and strings made of the characters each function looks at.

const fromChars = (chars: string[], maxLength: number) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));
const ANSI_CHARS = ['\x1b', '\x1b', '[', '[', '0', '1', '3', '8', '5', '2', ';', ';', ':', 'm', 'm', 'K', 'H', ']', '\x07', '\\', 'P', '_', '^', 'X', '>', '?', ' ', 'a', 'é', '😀', '\u202E'];
const LINK_CHARS = ['h', 't', 't', 'p', 's', ':', '/', '/', '.', 'x', ' ', '(', ')', '[', ']', '{', '}', ',', ';', '!', '?', '*', '…', '"', "'", '<', '>', '\n', '\u0000', 'é', '\u00a0', 'H', 'T', 'P', 'S'];
const JSON_CHARS = ['{', '}', '[', ']', '"', ':', ',', ' ', '\n', '\t', '0', '1', '-', '+', '.', 'e', 'E', 't', 'r', 'u', 'e', 'f', 'a', 'l', 's', 'n', '\\', 'u', 'd', '8', '0', '\u0000', '\u2028'];

const anyText = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 100 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 5000 }) },
  { weight: 3, arbitrary: fromChars(ANSI_CHARS, 200) },
  { weight: 3, arbitrary: fromChars(LINK_CHARS, 200) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('\x1b[31m', '\x1b[38;5;', '\x1b[38:2::1:2:3m', 'https://x.io/', '\u202E', '\x1b]8;;'), fc.integer({ min: 100, max: 20_000 })).map(([s, n]) => s.repeat(n)) },
);

/**
 * Lines the filter runs regular expressions on: up to 8 KiB. A query like `/.*error/` is quadratic in the
 * length of a line without a match (about 60 ms at 8 KiB, 2.8 s at 64 KiB here): longer lines would make the
 * time oracle depend on the machine's speed. docs/fuzzing.md reports it.
 */
const filterText = anyText.filter((t) => t.length <= 8192);

/** A query: text, or `/…/flags`, without nested quantifiers (a catastrophic regex is the user's own, not a bug). */
const query = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.tuple(fromChars(['a', 'b', '.', '*', '+', '?', '(', ')', '[', ']', '^', '$', '|', '\\', 'd', 'w', 's', '{', '}', '1', ',', 'é', ' '], 12), fc.constantFrom('', 'i', 'g', 'm', 's', 'u', 'y', 'gimsuy', 'x', 'ii', 'v', 'd')).map(([p, f]) => `/${p}/${f}`),
    fc.constantFrom('', '/', '//', '///', '/(/', '/[/', '/\\/', '/usr/bin', 'ERROR', 'error', '/^/', '/$/', '/x*/', '/(?:)/g', '/\\b/', '/./s', '/\\p{L}/u', 'a'.repeat(1001)),
  )
  .filter((q) => !/[*+?}]\)?[*+{]|\([^)]*[*+{][^)]*\)[*+{?]/.test(q));

// ---------------------------------------------------------------------------------------------------------
// Checks on outputs.

function checkRanges(what: string, text: string, ranges: readonly { start: number; end: number }[], max: number, ordered: 'disjoint' | 'by-start'): void {
  expect(ranges.length <= max, 'bound', () => `${what}: ${ranges.length} ranges, more than ${max}`);
  let last = 0;
  let lastStart = 0;
  for (const r of ranges) {
    expect(Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start < r.end && r.end <= text.length, 'offsets', () => `${what}: range ${r.start}-${r.end} in a text of ${text.length}`);
    if (ordered === 'disjoint') expect(r.start >= last, 'offsets', () => `${what}: ranges overlap or go back at ${r.start}`);
    else expect(r.start >= lastStart, 'offsets', () => `${what}: ranges not ordered by start at ${r.start}`);
    last = r.end;
    lastStart = r.start;
  }
}

const colourOk = (c: number | string | undefined) => c === undefined || (typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 255) || (typeof c === 'string' && /^#[0-9a-f]{6}$/.test(c));

function checkStyles(raw: string, stripped: string, runs: StyleRun[]): void {
  checkRanges('styleRuns', stripped, runs, ANSI_LIMITS.maxStyleRuns, 'disjoint');
  for (const r of runs) expect(colourOk(r.fg) && colourOk(r.bg), 'colour', () => `styleRuns gave colours ${r.fg}/${r.bg} for ${JSON.stringify(raw).slice(0, 200)}`);
}

function checkLinks(text: string): void {
  const links = timed('findLinks', text, () => findLinks(text)) ?? [];
  checkRanges('findLinks', text, links, LINK_LIMITS.maxPerLine, 'disjoint');
  for (const l of links) {
    const url = text.slice(l.start, l.end);
    expect(/^https?:\/\/[^\s"'`<>\p{Cc}]+$/iu.test(url), 'link', () => `findLinks gave ${JSON.stringify(url)}, not an http(s) URL without blanks`);
  }
}

function checkMarks(text: string, marks: MarkRange[] | undefined, rules: number): void {
  if (!marks) return;
  checkRanges('marks', text, marks, FILTER_LIMITS.maxMarksPerLine, 'by-start');
  for (const m of marks) expect(m.rule === -1 || (m.rule >= 0 && m.rule < Math.min(rules, FILTER_LIMITS.maxHighlightRules)), 'marks', () => `a mark of rule ${m.rule} with ${rules} rules`);
}

interface FilterInput {
  spec: FilterSpec;
  highlights: string[];
  text: string;
  level: LogLevel | undefined;
  cut: boolean;
}

const LEVELS: LevelKey[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'none'];

const filterInput: fc.Arbitrary<FilterInput> = fc.record({
  spec: fc.record({
    query,
    invert: fc.boolean(),
    mode: fc.constantFrom('filter' as const, 'highlight' as const),
    hiddenLevels: fc.subarray(LEVELS),
    hiddenSources: fc.array(fc.constantFrom('s1', 's2', ''), { maxLength: 2 }),
  }),
  highlights: fc.array(query, { maxLength: 20 }),
  text: filterText,
  level: fc.option(fc.constantFrom<LogLevel>('fatal', 'error', 'warn', 'info', 'debug', 'trace'), { nil: undefined }),
  cut: fc.boolean(),
});

/** JSON.parse's verdict, and its value as canonical text (null when it is too deep for JSON.stringify). */
function parsed(text: string): { ok: boolean; canonical: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, canonical: null };
  }
  try {
    return { ok: true, canonical: JSON.stringify(value) };
  } catch {
    return { ok: true, canonical: null };
  }
}

const jsonText = fc.oneof(
  fc.json({ maxDepth: 5 }),
  fc.json({ maxDepth: 3 }).map((j) => JSON.stringify(JSON.parse(j), null, '\t')),
  fromChars(JSON_CHARS, 60),
  fc.tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...JSON_CHARS, '')).map(([j, at, del, ins]) => {
    const i = at % (j.length + 1);
    return j.slice(0, i) + ins + j.slice(i + del);
  }),
  fc.constantFrom('1e400', '-0', '12345678901234567890', '"\\u00e9"', '{"a":1,"a":2}', '"\\ud800"', '01', '1.', '.5', '+1', '[1,]', '{"a":1,}', ' [] ', '\ufeff[]', '[]\u00a0', 'NaN', '"\t"', '"\u2028"'),
  fc.tuple(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom('[', '{"a":', '[{"b":')).map(([n, open]) => {
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
    return open.repeat(n) + (open === '[' ? '' : '0') + close.repeat(n);
  }),
);

export const rendererFamily: Family = {
  name: 'renderer',
  summary: "the dashboard's pure text functions (ANSI, links, queries, row decoration, JSON view, invisible characters)",
  async open() {
    const ansi: Property<string> = {
      name: 'ansi',
      arbitrary: anyText,
      run: (raw) => {
        const stripped = timed('stripAnsi', raw, () => stripAnsi(raw));
        expect(!stripped.includes('\x1b'), 'strip', () => `stripAnsi left an ESC in ${JSON.stringify(raw).slice(0, 200)}`);
        expect(stripped.length <= raw.length, 'strip', () => 'stripAnsi made the text longer');
        if (!raw.includes('\x1b')) expect(stripped === raw, 'strip', () => 'stripAnsi changed a text without ESC');
        checkStyles(raw, stripped, timed('styleRuns', raw, () => styleRuns(raw)));
      },
    };

    const links: Property<string> = { name: 'links', arbitrary: anyText, run: checkLinks };

    const filters: Property<FilterInput> = {
      name: 'filters',
      arbitrary: filterInput,
      run: (input) => {
        const all = [input.spec.query, ...input.highlights].join(' | ');
        for (const q of [input.spec.query, ...input.highlights]) {
          const compiled = timed('compileQuery', q, () => compileQuery(q));
          if (compiled.kind === 'error') expect(compiled.message.length > 0, 'query', () => `an empty error for ${JSON.stringify(q)}`);
        }
        const filter = timed('new LineFilter', all, () => new LineFilter(input.spec, input.highlights.map((q) => ({ query: q, color: '#f00' }))));
        const line = HeldLine.of('s1', { seq: 1, ts: 0, text: input.text, ...(input.level ? { level: input.level } : {}), ...(input.cut ? { cut: true as const } : {}) });
        timed('verdict', `${all} on ${input.text}`, () => filter.verdict(line));
        const marks = timed('marks', `${all} on ${input.text}`, () => filter.marks(line.text));
        checkMarks(line.text, marks, input.highlights.length);
        const row = timed('decorateRow', input.text, () => decorateRow(line, 7, filter));
        expect(row.kind === 'line', 'row', () => `decorateRow gave a ${row.kind}`);
        if (row.kind !== 'line') return;
        expect(row.text === stripAnsi(input.text), 'row', () => 'the row text is not the line without escapes');
        if (row.styles) checkStyles(input.text, row.text, row.styles);
        if (row.links) checkRanges('row links', row.text, row.links, LINK_LIMITS.maxPerLine, 'disjoint');
        checkMarks(row.text, row.marks, input.highlights.length);
        if (row.json) {
          expect(row.text.length <= DECORATION_LIMITS.maxJsonChars && parsed(row.text).ok, 'row', () => 'a row marked JSON that JSON.parse refuses');
        }
      },
    };

    const json: Property<{ text: string; maxChars: number }> = {
      name: 'json-format',
      arbitrary: fc.record({ text: jsonText, maxChars: fc.oneof(fc.constant(1_000_000), fc.nat({ max: 200 })) }),
      run: ({ text, maxChars }) => {
        const reference = parsed(text);
        const out = timed('formatJson', text, () => {
          try {
            return formatJson(text, maxChars);
          } catch (err) {
            if (err instanceof JsonSyntaxError) return err;
            throw err;
          }
        });
        if (out instanceof JsonSyntaxError) {
          expect(!reference.ok, 'json', () => `formatJson refused what JSON.parse takes (${out.code} at ${out.at}): ${JSON.stringify(text).slice(0, 200)}`);
          expect(out.at >= 0 && out.at <= text.length, 'json', () => `error offset ${out.at} outside a text of ${text.length}`);
          return;
        }
        expect(reference.ok, 'json', () => `formatJson took what JSON.parse refuses: ${JSON.stringify(text).slice(0, 200)}`);
        expect(out.text.length <= maxChars && out.omitted >= 0, 'json', () => `formatJson wrote ${out.text.length} characters with maxChars ${maxChars}`);
        if (out.omitted === 0 && reference.canonical !== null) {
          const again = parsed(out.text);
          expect(again.canonical === reference.canonical, 'json', () => `formatJson changed the value of ${JSON.stringify(text).slice(0, 200)}: ${JSON.stringify(out.text).slice(0, 200)}`);
        }
      },
    };

    const invisible: Property<string> = {
      name: 'invisible',
      arbitrary: anyText,
      run: (text) => {
        const name = timed('visibleName', text, () => visibleName(text));
        INVISIBLE_IN_NAMES.lastIndex = 0;
        expect(!INVISIBLE_IN_NAMES.test(name), 'invisible', () => `visibleName left an invisible character in ${JSON.stringify(name).slice(0, 200)}`);
        expect(name.length <= text.length * 8, 'bound', () => `visibleName made ${name.length} characters of ${text.length}`);
        const parts = timed('splitAtInvisible', text, () => splitAtInvisible(text));
        expect(parts.join('') === text, 'invisible', () => 'splitAtInvisible lost or added text');
        parts.forEach((p, i) => {
          INVISIBLE_IN_LINES.lastIndex = 0;
          if (i % 2 === 1) {
            expect(p.length === 1 && INVISIBLE_IN_LINES.test(p), 'invisible', () => `part ${i} is ${JSON.stringify(p)}, not one invisible character`);
            expect(describeCharacter(p).startsWith('U+'), 'invisible', () => `describeCharacter(${JSON.stringify(p)})`);
          } else {
            expect(!INVISIBLE_IN_LINES.test(p), 'invisible', () => `part ${i} holds an invisible character`);
          }
        });
      },
    };

    return {
      properties: [ansi, links, filters, json, invisible],
      check: async () => undefined,
      memory: heapGrowthFromNow('heap growth while decorating text (after GC)', 32 * MiB),
      close: async () => undefined,
    };
  },
};
