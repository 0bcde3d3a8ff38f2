import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { AlertEngine, type AlertWarning } from '../../main/desktop/alert-engine';
import type { LineAlertRule, MetricAlertRule } from '../../protocol/desktop-ipc';
import type { LogLine, MetricsData } from '../../protocol/events';
import { metricsSample } from '../fixtures/metrics-sample';

const T0 = 1_700_000_000_000;

function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

function lineRule(change: Partial<LineAlertRule> = {}): LineAlertRule {
  return { id: 'r1', name: 'Errors', enabled: true, cooldownSeconds: 60, kind: 'line', pattern: 'ERROR', flags: '', sources: [], ...change };
}

function metricRule(change: Partial<MetricAlertRule> = {}): MetricAlertRule {
  return { id: 'm1', name: 'Busy CPU', enabled: true, cooldownSeconds: 0, kind: 'metric', metric: 'cpu', above: 90, forSeconds: 30, ...change };
}

let seq = 0;
const line = (text: string, ts = T0): LogLine => ({ seq: ++seq, ts, text });

function engine(rules: (LineAlertRule | MetricAlertRule)[], c = clock()) {
  const warnings: AlertWarning[] = [];
  const e = new AlertEngine({ now: c.now, onWarning: (w) => warnings.push(w) });
  e.setRules(rules);
  return { e, c, warnings };
}

test('a line rule fires on a matching line with where to jump', () => {
  const { e } = engine([lineRule()]);
  assert.deepEqual(e.onLines('src-a', 'app.log', [line('all fine'), line('INFO ok')]), []);
  const hit = line('2024-05-01 ERROR disk full', T0 - 5000);
  const fired = e.onLines('src-a', 'app.log', [line('INFO ok'), hit]);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.rule.id, 'r1');
  assert.equal(fired[0]!.title, 'tailwatch: Errors');
  assert.equal(fired[0]!.body, 'app.log: 2024-05-01 ERROR disk full');
  assert.deepEqual(fired[0]!.jump, { ruleId: 'r1', source: 'src-a', seq: hit.seq, ts: T0 - 5000 });
});

test('flags apply, and a rule only watches its sources (none listed = all)', () => {
  const { e } = engine([
    lineRule({ id: 'only-b', pattern: 'timeout', flags: 'i', sources: ['src-b'], cooldownSeconds: 0 }),
    lineRule({ id: 'any', pattern: 'timeout', cooldownSeconds: 0 }),
  ]);
  assert.deepEqual(e.onLines('src-a', 'a.log', [line('Timeout')]).map((f) => f.rule.id), []);
  assert.deepEqual(e.onLines('src-a', 'a.log', [line('timeout')]).map((f) => f.rule.id), ['any']);
  assert.deepEqual(e.onLines('src-b', 'b.log', [line('TIMEOUT')]).map((f) => f.rule.id), ['only-b']);
});

test('one notification per call, telling how many more lines matched', () => {
  const { e } = engine([lineRule()]);
  const lines = [line('ERROR first'), line('ok'), line('ERROR second'), line('ERROR third')];
  const fired = e.onLines('src-a', 'app.log', lines);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.body, 'app.log: ERROR first (and 2 more)');
  assert.equal(fired[0]!.jump.seq, lines[0]!.seq);
});

test('cooldown: silent for cooldownSeconds, then the next alert counts what matched meanwhile', () => {
  const { e, c } = engine([lineRule({ cooldownSeconds: 60 })]);
  assert.equal(e.onLines('s', 'app.log', [line('ERROR a')]).length, 1);
  c.t += 30_000;
  assert.deepEqual(e.onLines('s', 'app.log', [line('ERROR b'), line('ERROR c')]), []);
  c.t += 29_999;
  assert.deepEqual(e.onLines('s', 'app.log', [line('ERROR d')]), []);
  c.t += 1;
  const fired = e.onLines('s', 'app.log', [line('ERROR e'), line('ERROR f')]);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.body, 'app.log: ERROR e (and 1 more)\n3 more matches since the last alert');
  // The count starts again after each alert.
  c.t += 60_000;
  assert.equal(e.onLines('s', 'app.log', [line('ERROR g')])[0]!.body, 'app.log: ERROR g');
  e.onLines('s', 'app.log', [line('ERROR h')]);
  c.t += 60_000;
  assert.equal(e.onLines('s', 'app.log', [line('ERROR i')])[0]!.body, 'app.log: ERROR i\n1 more match since the last alert');
});

test('the body shows the line without terminal escapes, cut to about 200 characters', () => {
  const { e } = engine([lineRule()]);
  const long = `\x1b[31mERROR\x1b[0m\t${'x'.repeat(5000)}`;
  const body = e.onLines('s', 'app.log', [line(long)])[0]!.body;
  assert.ok(body.startsWith('app.log: ERROR x'), body.slice(0, 40));
  assert.ok(body.endsWith('…'));
  assert.equal(body.length, 'app.log: '.length + 200);
  // A cut in the middle of a surrogate pair would leave half a character.
  const emoji = `ERROR ${'😀'.repeat(300)}`;
  const shown = engine([lineRule()]).e.onLines('s', 'app.log', [line(emoji)])[0]!.body;
  assert.doesNotMatch(shown, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone surrogate');
  // Neither the name nor the line can reorder the notification's text.
  const bidi = engine([lineRule()]).e.onLines('s', 'bidi\u202Etxt.exe\u202C.log', [line('ERROR \u202Eevil\u200B')])[0]!.body;
  assert.equal(bidi, 'bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log: ERROR ⟨U+202E⟩evil⟨U+200B⟩');
});

test('only the first 4,096 characters of a line are tested', () => {
  const { e } = engine([lineRule({ cooldownSeconds: 0 })]);
  assert.equal(e.onLines('s', 'a', [line(`${'.'.repeat(4091)}ERROR`)]).length, 1);
  assert.equal(e.onLines('s', 'a', [line(`${'.'.repeat(4092)}ERROR`)]).length, 0);
});

test('a pattern that does not compile, or stateful flags, skip that rule with a warning; the others run', () => {
  const { e, warnings } = engine([
    lineRule({ id: 'bad', name: 'Broken', pattern: '(unclosed' }),
    lineRule({ id: 'global', name: 'Global', flags: 'g' }),
    lineRule({ id: 'good' }),
  ]);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.rule.id]),
    [
      ['bad-pattern', 'bad'],
      ['bad-pattern', 'global'],
    ],
  );
  assert.match(warnings[0]!.message, /alert rule "Broken" does not run: .*Unterminated group/);
  assert.match(warnings[1]!.message, /flags "g" are not among i, s, u/);
  assert.deepEqual(e.onLines('s', 'a', [line('ERROR (unclosed')]).map((f) => f.rule.id), ['good']);
});

test('disabled rules do nothing', () => {
  const { e } = engine([lineRule({ enabled: false }), metricRule({ enabled: false, forSeconds: 0 })]);
  assert.deepEqual(e.onLines('s', 'a', [line('ERROR')]), []);
  assert.deepEqual(e.onMetrics(metricsSample(T0, 99)), []);
});

test('setRules keeps the state of unchanged rules and starts edited ones afresh', () => {
  const { e } = engine([lineRule({ id: 'a', cooldownSeconds: 600 }), lineRule({ id: 'b', cooldownSeconds: 600 })]);
  assert.equal(e.onLines('s', 'x', [line('ERROR')]).length, 2);
  // Saving the dialog with the same rules must not re-notify within the cooldown.
  e.setRules([lineRule({ id: 'a', cooldownSeconds: 600 }), lineRule({ id: 'b', cooldownSeconds: 600, pattern: 'ERR' })]);
  assert.deepEqual(e.onLines('s', 'x', [line('ERROR')]).map((f) => f.rule.id), ['b']);
  e.setRules([]);
  assert.deepEqual(e.onLines('s', 'x', [line('ERROR')]), []);
});

test('a pattern over its time budget is paused, counted per second of wall-clock time', () => {
  // A fake stopwatch: every line costs 1 ms.
  let ms = 0;
  const c = clock();
  const warnings: AlertWarning[] = [];
  const e = new AlertEngine({ now: c.now, stopwatch: () => ms++, patternBudgetMs: 50, pauseSeconds: 120, onWarning: (w) => warnings.push(w) });
  e.setRules([lineRule({ cooldownSeconds: 0 })]);
  const lines = (n: number) => Array.from({ length: n }, () => line('ERROR'));
  for (let i = 0; i < 5; i++) {
    assert.equal(e.onLines('s', 'a', lines(40)).length, 1, `second ${i}`);
    c.t += 1000;
  }
  assert.equal(warnings.length, 0);
  // Two calls in the same second add up: 30 + 30 ms is over the 50 ms.
  e.onLines('s', 'a', lines(30));
  e.onLines('s', 'a', lines(30));
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.code, 'too-slow');
  assert.equal(warnings[0]!.until, c.t + 120_000);
  assert.match(warnings[0]!.message, /alert rule "Errors" paused for 2 min: its pattern took 51 ms within one second \(the budget is 50 ms\)/);
  const before = ms;
  c.t += 119_999;
  assert.deepEqual(e.onLines('s', 'a', lines(10)), []);
  assert.equal(ms, before, 'a paused rule is not tested');
  c.t += 1;
  assert.equal(e.onLines('s', 'a', lines(10)).length, 1);
  assert.equal(warnings.length, 1);
});

test('a catastrophic pattern is stopped after its budget, and other rules keep working', () => {
  // /(a+)+$/ backtracks exponentially on a run of a's that ends in b: find a length that costs a few ms a
  // line here, so the test stays fast on any machine while 1,000 such lines would take seconds.
  const catastrophic = /(a+)+$/;
  let n = 14;
  let lineCost = 0;
  while (lineCost < 4 && n < 40) {
    n++;
    const t = performance.now();
    catastrophic.test(`${'a'.repeat(n)}b`);
    lineCost = performance.now() - t;
  }
  const evil = `${'a'.repeat(n)}b`;
  const { e, c, warnings } = engine([
    lineRule({ id: 'slow', name: 'Slow', pattern: '(a+)+$', cooldownSeconds: 0 }),
    lineRule({ id: 'fast', pattern: 'ERROR', cooldownSeconds: 0 }),
  ]);
  const lines = [...Array.from({ length: 1000 }, () => line(evil)), line('ERROR after')];
  const t = performance.now();
  const fired = e.onLines('s', 'a', lines);
  const took = performance.now() - t;
  assert.ok(took < (1000 * lineCost) / 4, `took ${took.toFixed(0)} ms; all lines would be ${(1000 * lineCost).toFixed(0)} ms`);
  assert.deepEqual(fired.map((f) => f.rule.id), ['fast']);
  assert.deepEqual(warnings.map((w) => [w.code, w.rule.id]), [['too-slow', 'slow']]);

  // Paused: a line it would match quickly does not fire it either, until the pause ends.
  assert.deepEqual(e.onLines('s', 'a', [line('aaa')]), []);
  c.t = warnings[0]!.until!;
  assert.deepEqual(e.onLines('s', 'a', [line('aaa')]).map((f) => f.rule.id), ['slow']);
});

function cpuAt(ts: number, total: number): MetricsData {
  return metricsSample(ts, total);
}

test('a metric rule fires once the value has been above for forSeconds, once per episode', () => {
  const { e } = engine([metricRule({ above: 90, forSeconds: 30 })]);
  const fired: string[] = [];
  let jumpTs = 0;
  for (let s = 0; s <= 60; s++) {
    const out = e.onMetrics(cpuAt(T0 + s * 1000, s < 10 ? 50 : 93));
    for (const f of out) {
      fired.push(`${s}: ${f.body}`);
      jumpTs = f.jump.ts;
      assert.deepEqual(f.jump, { ruleId: 'm1', ts: T0 + 10_000 });
      assert.equal(f.title, 'tailwatch: Busy CPU');
    }
  }
  assert.deepEqual(fired, ['40: CPU 93% for 30 s (above 90%)']);
  assert.equal(jumpTs, T0 + 10_000);
});

test('a metric rule re-arms only when the value is back at or below the threshold', () => {
  const { e } = engine([metricRule({ above: 90, forSeconds: 2 })]);
  const at = (s: number, v: number) => e.onMetrics(cpuAt(T0 + s * 1000, v)).length;
  assert.equal(at(0, 95) + at(1, 95) + at(2, 95), 1);
  // Dipping to 91 is still above: the same episode.
  assert.equal(at(3, 91) + at(4, 99) + at(5, 99) + at(6, 99), 0);
  // Exactly the threshold is not above: a new episode may fire.
  assert.equal(at(7, 90), 0);
  assert.equal(at(8, 95) + at(9, 95), 0);
  assert.equal(at(10, 95), 1);
});

test('a gap of more than 5 s between samples restarts the duration', () => {
  const { e } = engine([metricRule({ above: 90, forSeconds: 10 })]);
  const at = (ms: number) => e.onMetrics(cpuAt(T0 + ms, 95));
  for (let s = 0; s <= 8; s++) assert.deepEqual(at(s * 1000), []);
  // 8 s above, then 6 s without samples: nothing says it stayed above meanwhile.
  for (let s = 14; s <= 23; s++) assert.deepEqual(at(s * 1000), [], `second ${s}`);
  assert.equal(at(24_000)[0]?.jump.ts, T0 + 14_000);

  // A 5 s step is not a gap.
  const other = engine([metricRule({ above: 90, forSeconds: 10 })]).e;
  assert.deepEqual(other.onMetrics(cpuAt(T0, 95)), []);
  assert.deepEqual(other.onMetrics(cpuAt(T0 + 5000, 95)), []);
  const fired = other.onMetrics(cpuAt(T0 + 10_000, 95));
  assert.equal(fired[0]?.jump.ts, T0);

  // Nor is a clock set back (ts goes down) counted as time above.
  const back = engine([metricRule({ above: 90, forSeconds: 10 })]).e;
  back.onMetrics(cpuAt(T0 + 60_000, 95));
  for (let s = 0; s <= 9; s++) assert.deepEqual(back.onMetrics(cpuAt(T0 + s * 1000, 95)), []);
  assert.equal(back.onMetrics(cpuAt(T0 + 10_000, 95))[0]?.jump.ts, T0);
});

test('cooldown applies between metric episodes: the next one is told when the cooldown ends', () => {
  const c = clock();
  const { e } = engine([metricRule({ above: 90, forSeconds: 5, cooldownSeconds: 60 })], c);
  const at = (s: number, v: number) => {
    c.t = T0 + s * 1000;
    return e.onMetrics(cpuAt(c.t, v));
  };
  for (let s = 0; s < 5; s++) at(s, 95);
  assert.equal(at(5, 95).length, 1);
  at(6, 50);
  for (let s = 10; s < 65; s++) assert.deepEqual(at(s, 97), [], `second ${s}`);
  const fired = at(65, 97);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.body, 'CPU 97% for 55 s (above 90%)');
  assert.equal(fired[0]!.jump.ts, T0 + 10_000);
});

test('memory, load and disk readings', () => {
  const sample = cpuAt(T0, 10);
  sample.mem = { ...sample.mem, total: 16e9, used: 15e9 };
  sample.load = [12.346, 3, 1];
  sample.fs = [
    { mount: '/', device: 'sda1', type: 'ext4', size: 1, used: 1, usedPercent: 71 },
    { mount: '/var', device: 'sda2', type: 'ext4', size: 1, used: 1, usedPercent: 96.4 },
    { mount: '/home', device: 'sda3', type: 'ext4', size: 1, used: 1, usedPercent: 40 },
  ];
  const { e } = engine([
    metricRule({ id: 'mem', metric: 'memory', above: 90, forSeconds: 0 }),
    metricRule({ id: 'load', metric: 'load', above: 8, forSeconds: 0 }),
    metricRule({ id: 'disk', metric: 'disk', above: 95, forSeconds: 0 }),
    metricRule({ id: 'cpu', metric: 'cpu', above: 95, forSeconds: 0 }),
  ]);
  assert.deepEqual(
    e.onMetrics(sample).map((f) => [f.rule.id, f.body]),
    [
      ['mem', 'Memory 94% (above 90%)'],
      ['load', 'Load 12.35 (above 8)'],
      ['disk', 'Disk /var 96% (above 95%)'],
    ],
  );
});

test('a sample without the metric neither fires nor throws', () => {
  const sample = cpuAt(T0, 10);
  sample.fs = [];
  sample.mem = { ...sample.mem, total: 0, used: 0 };
  sample.load = [];
  const { e } = engine([
    metricRule({ id: 'disk', metric: 'disk', above: -1, forSeconds: 0 }),
    metricRule({ id: 'mem', metric: 'memory', above: -1, forSeconds: 0 }),
    metricRule({ id: 'load', metric: 'load', above: -1, forSeconds: 0 }),
  ]);
  assert.deepEqual(e.onMetrics(sample), []);
});

test('options are checked when the engine is made', () => {
  assert.throws(() => new AlertEngine({ patternBudgetMs: 0 }), /patternBudgetMs: expected 0 < ms < 1000, got 0/);
  assert.throws(() => new AlertEngine({ pauseSeconds: 0.5 }), /pauseSeconds: expected at least 1, got 0.5/);
});
