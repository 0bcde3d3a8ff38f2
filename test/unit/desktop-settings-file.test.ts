import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import fsp, { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import type { AlertRule } from '../../protocol/desktop-ipc';
import { SETTINGS_LIMITS, SettingsFile, desktopSourceId, validateAlertRules, type DesktopSettings } from '../../main/desktop/settings-file';
import { testDir } from '../helpers/temp-dir';

const lineRule = (over: Partial<Record<string, unknown>> = {}) => ({
  id: 'r1',
  name: 'Errors',
  enabled: true,
  cooldownSeconds: 60,
  kind: 'line',
  pattern: 'ERROR|FATAL',
  flags: 'i',
  sources: [],
  ...over,
});
const metricRule = (over: Partial<Record<string, unknown>> = {}) => ({
  id: 'm1',
  name: 'CPU high',
  enabled: true,
  cooldownSeconds: 300,
  kind: 'metric',
  metric: 'cpu',
  above: 90,
  forSeconds: 30,
  ...over,
});

async function openIn(dir: string) {
  const warnings: string[] = [];
  const file = await SettingsFile.open(dir, (m) => warnings.push(m));
  return { file, warnings };
}

const settingsPath = (dir: string) => join(dir, 'settings.json');
const readJson = async (dir: string) => JSON.parse(await readFile(settingsPath(dir), 'utf8')) as DesktopSettings;

/** Counts renames onto `target` (each atomic write ends with one) while the test runs. */
function countRenamesOnto(t: { after(fn: () => void): void }, target: string): () => number {
  let count = 0;
  const rename = fsp.rename;
  mock.method(fsp, 'rename', (from: string, to: string) => {
    if (to === target) count++;
    return rename(from, to);
  });
  syncBuiltinESMExports();
  t.after(() => {
    mock.restoreAll();
    syncBuiltinESMExports();
  });
  return () => count;
}

test('no file: defaults, nothing written until a change, then a version-2 file only the user can read', async (t) => {
  const dir = await testDir(t);
  const { file, warnings } = await openIn(dir);
  assert.deepEqual(file.get(), { version: 2, sources: [], window: null, alerts: [], preferences: { openAtLogin: false, closeToTray: false }, share: null, hosts: { redis: null, redisCa: null } });
  assert.deepEqual(warnings, []);
  assert.deepEqual(await readdir(dir), []);

  const source = { id: desktopSourceId('folder', '/var/log'), kind: 'folder' as const, path: '/var/log' };
  await file.update((s) => ({ ...s, sources: [source] }));
  assert.deepEqual((await readJson(dir)).sources, [source]);
  if (process.platform !== 'win32') assert.equal((await stat(settingsPath(dir))).mode & 0o777, 0o600);
  assert.deepEqual(await readdir(dir), ['settings.json'], 'no temp file left behind');

  const again = await openIn(dir);
  assert.deepEqual(again.file.get(), file.get());
  assert.deepEqual(again.warnings, []);
});

test('the settings handed out are frozen: a change goes through update or not at all', async (t) => {
  const { file } = await openIn(await testDir(t));
  assert.throws(() => (file.get().sources as unknown[]).push({}), TypeError);
  assert.throws(() => ((file.get().preferences as { openAtLogin: boolean }).openAtLogin = true), TypeError);
});

test('a preference the file does not have yet takes its default without a warning; a known one is kept', async (t) => {
  const dir = await testDir(t);
  await writeFile(settingsPath(dir), JSON.stringify({ version: 2, sources: [], window: null, alerts: [], preferences: { openAtLogin: true }, share: null }));
  const { file, warnings } = await openIn(dir);
  assert.deepEqual(file.get().preferences, { openAtLogin: true, closeToTray: false });
  assert.deepEqual(warnings, []);
  await writeFile(settingsPath(dir), JSON.stringify({ version: 2, preferences: 'all on' }));
  const odd = await openIn(dir);
  assert.deepEqual(odd.file.get().preferences, { openAtLogin: false, closeToTray: false });
  assert.ok(odd.warnings.some((w) => /preferences: not an object/.test(w)), odd.warnings.join('\n'));
});

test('version 1 is migrated: folders and files become sources with stable ids, the rest moves over', async (t) => {
  const dir = await testDir(t);
  const v1 = {
    version: 1,
    folders: ['/var/log', 'relative/logs', 42],
    files: ['/home/me/app.log'],
    window: { x: 10, y: 20, width: 900, height: 700, maximized: true },
    openAtLogin: true,
  };
  await writeFile(settingsPath(dir), JSON.stringify(v1));
  const { file, warnings } = await openIn(dir);
  assert.deepEqual(file.get(), {
    version: 2,
    sources: [
      { id: desktopSourceId('folder', '/var/log'), kind: 'folder', path: '/var/log' },
      { id: desktopSourceId('file', '/home/me/app.log'), kind: 'file', path: '/home/me/app.log' },
    ],
    window: { x: 10, y: 20, width: 900, height: 700, maximized: true },
    alerts: [],
    preferences: { openAtLogin: true, closeToTray: false },
    share: null,
    hosts: { redis: null, redisCa: null },
  });
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.ok(warnings.every((w) => w.includes(settingsPath(dir)) && /source [23]: path must be an absolute path/.test(w)), warnings.join('\n'));

  // The file itself is rewritten in the new layout by the next save.
  await file.update((s) => s);
  assert.equal((await readJson(dir)).version, 2);
});

test('source ids: the same for the same kind and path in every run, different otherwise, URL-safe', () => {
  const id = desktopSourceId('folder', '/var/log');
  assert.equal(id, desktopSourceId('folder', '/var/log'));
  assert.match(id, /^[A-Za-z0-9_-]{12}$/);
  assert.notEqual(id, desktopSourceId('file', '/var/log'));
  assert.notEqual(id, desktopSourceId('folder', '/var/log/'));
});

for (const [what, content] of [
  ['garbage', '{"version": 2, "sources": [ this is not json'],
  ['an empty file (a crash before the data reached the disk)', ''],
  ['JSON without a version', '{"sources": []}'],
  ['a JSON list', '[1, 2, 3]'],
  ['a version that is no whole number', '{"version": "2"}'],
] as const) {
  test(`${what} is moved aside with its content intact, and the app starts from defaults`, async (t) => {
    const dir = await testDir(t);
    await writeFile(settingsPath(dir), content);
    const { file, warnings } = await openIn(dir);
    assert.deepEqual(file.get().sources, []);
    const names = await readdir(dir);
    assert.equal(names.length, 1, names.join(', '));
    assert.match(names[0]!, /^settings\.json\.broken-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    assert.equal(await readFile(join(dir, names[0]!), 'utf8'), content);
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0]!.includes(names[0]!), warnings[0]);

    // The app saves normally from then on; the moved file stays.
    await file.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin: true } }));
    assert.deepEqual((await readdir(dir)).sort(), [names[0]!, 'settings.json'].sort());
  });
}

test('a file from a newer tailwatch is left byte for byte as it was, whatever the app changes', async (t) => {
  const dir = await testDir(t);
  const newer = '{\n  "version": 3,\n  "sources": [],\n  "workspaces": [{"name": "prod"}]\n}\n';
  await writeFile(settingsPath(dir), newer);
  const before = await stat(settingsPath(dir));
  const { file, warnings } = await openIn(dir);
  assert.deepEqual(file.get().sources, []);
  assert.match(file.readOnlyReason ?? '', /newer tailwatch \(settings version 3; this one knows up to 2\)/);
  assert.equal(warnings.length, 1);

  await file.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin: true } }));
  await file.update((s) => ({ ...s, window: { x: 0, y: 0, width: 800, height: 600, maximized: false } }));
  await file.flush();
  // The change holds for this run…
  assert.equal(file.get().preferences.openAtLogin, true);
  // …but never reaches the disk: same bytes, same file, no temp file, nothing moved aside.
  assert.equal(await readFile(settingsPath(dir), 'utf8'), newer);
  const after = await stat(settingsPath(dir));
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.deepEqual(await readdir(dir), ['settings.json']);
  assert.equal(warnings.length, 2, 'the refusal is told once, not at every save');
  assert.match(warnings[1]!, /not saved: .*newer tailwatch/);
});

test('a settings.json that cannot be read is not written over', async (t) => {
  const dir = await testDir(t);
  // A directory in its place: reading fails with EISDIR (as root, a chmod 000 file would still be readable).
  await mkdir(join(settingsPath(dir), 'inside'), { recursive: true });
  const { file, warnings } = await openIn(dir);
  assert.match(warnings[0] ?? '', /cannot be read \(EISDIR\)/);
  await file.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin: true } }));
  assert.deepEqual(await readdir(settingsPath(dir)), ['inside']);
});

test('a temp file left by a crash mid-write is never read: the last complete file wins', async (t) => {
  const dir = await testDir(t);
  const saved = { version: 2, sources: [{ id: desktopSourceId('file', '/a.log'), kind: 'file', path: '/a.log' }], window: null, alerts: [], preferences: { openAtLogin: false, closeToTray: false }, share: null, hosts: { redis: 'redis://server:pw@redis:6379', redisCa: null } };
  await writeFile(settingsPath(dir), JSON.stringify(saved));
  // What a crash between writing the temp file and renaming it leaves: a half-written newer state.
  await writeFile(`${settingsPath(dir)}.tmp-4242`, '{"version": 2, "sources": [');
  const { file, warnings } = await openIn(dir);
  assert.deepEqual(file.get(), saved);
  assert.deepEqual(warnings, []);
});

test('a temp file an earlier run with our pid left, readable by all, does not make the settings readable by all', { skip: process.platform === 'win32' }, async (t) => {
  const dir = await testDir(t);
  const stale = `${settingsPath(dir)}.tmp-${process.pid}`;
  await writeFile(stale, 'old', { mode: 0o644 });
  const { file } = await openIn(dir);
  await file.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin: true } }));
  assert.equal((await stat(settingsPath(dir))).mode & 0o777, 0o600);
  assert.deepEqual(await readdir(dir), ['settings.json']);
});

test('a write that fails leaves the previous file whole, warns (once per run of failures) instead of rejecting, and the next save retries', async (t) => {
  const dir = await testDir(t);
  const { file, warnings } = await openIn(dir);
  await file.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin: true } }));
  const good = await readFile(settingsPath(dir), 'utf8');

  const rename = fsp.rename;
  let failures = 2;
  mock.method(fsp, 'rename', (from: string, to: string) => {
    if (failures === 0) return rename(from, to);
    failures--;
    return Promise.reject(Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' }));
  });
  syncBuiltinESMExports();
  t.after(() => {
    mock.restoreAll();
    syncBuiltinESMExports();
  });

  await file.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin: false } }));
  assert.equal(await readFile(settingsPath(dir), 'utf8'), good);
  assert.deepEqual(await readdir(dir), ['settings.json'], 'the temp file is removed');
  assert.match(warnings.at(-1) ?? '', /cannot save the settings to .*settings\.json: EIO/);
  assert.equal(file.get().preferences.openAtLogin, false, 'the change holds in memory');
  const told = warnings.length;
  await file.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin: true } }));
  assert.equal(warnings.length, told, 'a second failure in a row is not told again');

  await file.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin: false } }));
  assert.equal((await readJson(dir)).preferences.openAtLogin, false);
  failures = 1;
  await file.update((s) => s);
  assert.equal(warnings.length, told + 1, 'a failure after a success is told');
});

test('saves are serialised: a burst of changes is one write plus one more of the latest state', async (t) => {
  const dir = await testDir(t);
  const renames = countRenamesOnto(t, settingsPath(dir));
  const { file, warnings } = await openIn(dir);
  const saves: Promise<void>[] = [];
  for (let i = 0; i < 25; i++) {
    const path = `/logs/${i}.log`;
    saves.push(file.update((s) => ({ ...s, sources: [...s.sources, { id: desktopSourceId('file', path), kind: 'file', path }] })));
  }
  await Promise.all(saves);
  assert.equal(renames(), 2);
  assert.equal((await readJson(dir)).sources.length, 25);

  // A change while a write is under way waits for it and is then written; flush waits for both.
  void file.update((s) => ({ ...s, sources: s.sources.slice(1) }));
  void file.update((s) => ({ ...s, sources: s.sources.slice(1) }));
  await file.flush();
  assert.equal(renames(), 4);
  assert.equal((await readJson(dir)).sources.length, 23);
  assert.deepEqual(warnings, []);
});

test('a version-2 file is checked field by field: what is bad is dropped with a warning, the rest kept', async (t) => {
  const dir = await testDir(t);
  const keptSource = { id: desktopSourceId('folder', '/srv/logs'), kind: 'folder', path: '/srv/logs' };
  await writeFile(
    settingsPath(dir),
    JSON.stringify({
      version: 2,
      sources: [
        keptSource,
        { ...keptSource },
        { id: 'hand-edited', kind: 'file', path: '/var/log/syslog' },
        { id: 'x', kind: 'socket', path: '/run/x' },
        { id: 'y', kind: 'file', path: 'not/absolute.log' },
      ],
      window: { x: 0, y: 0, width: -5, height: 600, maximized: false },
      alerts: [lineRule(), lineRule({ id: 'r2', pattern: '(unclosed' }), metricRule()],
      preferences: { openAtLogin: 'yes' },
      share: { enabled: true, address: '192.168.1.20', port: 70_000, tls: true, remember: true },
      theme: 'dark',
    }),
  );
  const { file, warnings } = await openIn(dir);
  const s = file.get();
  assert.deepEqual(s.sources, [keptSource, { id: desktopSourceId('file', '/var/log/syslog'), kind: 'file', path: '/var/log/syslog' }]);
  assert.equal(s.window, null);
  assert.deepEqual(s.alerts.map((r) => r.id), ['r1', 'm1']);
  assert.deepEqual(s.preferences, { openAtLogin: false, closeToTray: false });
  assert.equal(s.share, null);
  const expected = [
    /source 2 \(\/srv\/logs\): listed twice/,
    /source 3 \(\/var\/log\/syslog\): id "hand-edited" replaced/,
    /source 4: kind must be "folder" or "file", got "socket"/,
    /source 5: path must be an absolute path/,
    /window: width missing or out of range/,
    /alert rule 2 \("Errors"\): pattern is not a valid regular expression: .*; dropped$/,
    /preferences: openAtLogin must be true or false/,
    /share: port missing or invalid/,
    /unknown setting "theme" dropped/,
  ];
  for (const pattern of expected) assert.ok(warnings.some((w) => pattern.test(w)), `no warning matching ${pattern} in:\n${warnings.join('\n')}`);
  assert.equal(warnings.length, expected.length, warnings.join('\n'));
});

test('a good window and share request survive a round trip; fractional window bounds are rounded for Electron', async (t) => {
  const dir = await testDir(t);
  const { file } = await openIn(dir);
  const share = { enabled: true, address: 'fe80::1%eth0', port: 0, tls: false, remember: true };
  await file.update((s) => ({ ...s, window: { x: -1200.4, y: 10.6, width: 1280, height: 820, maximized: false }, share }));
  const again = (await openIn(dir)).file.get();
  assert.deepEqual(again.window, { x: -1200, y: 11, width: 1280, height: 820, maximized: false });
  assert.deepEqual(again.share, share);
});

test('sources are bounded: the first 500 are kept', async (t) => {
  const dir = await testDir(t);
  const sources = Array.from({ length: SETTINGS_LIMITS.sources + 1 }, (_, i) => ({ id: desktopSourceId('file', `/l/${i}`), kind: 'file', path: `/l/${i}` }));
  await writeFile(settingsPath(dir), JSON.stringify({ version: 2, sources }));
  const { file, warnings } = await openIn(dir);
  assert.equal(SETTINGS_LIMITS.sources, 500);
  assert.equal(file.get().sources.length, 500);
  assert.equal(file.get().sources.at(-1)!.path, '/l/499');
  assert.match(warnings.join('\n'), /at most 500 are kept; \/l\/500 and those after it dropped/);
});

test('validateAlertRules: good rules come back as clean copies; unknown fields do not reach the file', () => {
  const { rules, errors } = validateAlertRules([
    { ...lineRule({ flags: 'isu', sources: ['abc123def456'] }), extra: 'dropped' },
    metricRule({ metric: 'load', above: 12.5, forSeconds: 1, cooldownSeconds: 0 }),
    metricRule({ id: 'm2', metric: 'disk', above: 100, forSeconds: 3600, cooldownSeconds: 86_400 }),
    lineRule({ id: 'r2', name: '', pattern: 'x'.repeat(1000) }),
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(rules[0], lineRule({ flags: 'isu', sources: ['abc123def456'] }));
  assert.equal(rules.length, 4);
  assert.ok(!('extra' in rules[0]!));
});

test('validateAlertRules: every bad field is named with its rule', () => {
  const cases: [unknown, RegExp][] = [
    [lineRule({ pattern: '(' }), /pattern is not a valid regular expression/],
    [lineRule({ pattern: '' }), /pattern must be a string of 1 to 1000 characters, got ""/],
    [lineRule({ pattern: 'x'.repeat(1001) }), /pattern must be a string of 1 to 1000 characters, got "x{40}"… \(1001 characters\)/],
    [lineRule({ flags: 'g' }), /flags must be any of the letters i, s, u/],
    [lineRule({ flags: 'ii' }), /flags must be/],
    [lineRule({ sources: 'all' }), /sources must be a list/],
    [lineRule({ sources: [''] }), /sources must be a list/],
    [lineRule({ cooldownSeconds: -1 }), /cooldownSeconds must be a number from 0 to 86400, got -1/],
    [lineRule({ cooldownSeconds: 86_401 }), /cooldownSeconds must be a number from 0 to 86400/],
    [lineRule({ cooldownSeconds: Number.NaN }), /cooldownSeconds must be .*, got NaN/],
    [lineRule({ cooldownSeconds: Infinity }), /cooldownSeconds must be .*, got Infinity/],
    [lineRule({ cooldownSeconds: '60' }), /cooldownSeconds must be .*, got "60"/],
    [lineRule({ enabled: 1 }), /enabled must be true or false, got 1/],
    [lineRule({ id: '' }), /id must be a string of 1 to 100 characters/],
    [lineRule({ name: 'n'.repeat(201) }), /name must be a string of at most 200 characters/],
    [lineRule({ kind: 'regex' }), /kind must be one of line, metric, got "regex"/],
    [metricRule({ metric: 'gpu' }), /metric must be one of cpu, memory, load, disk, got "gpu"/],
    [metricRule({ above: 101 }), /above must be a number from 0 to 100, got 101/],
    [metricRule({ metric: 'memory', above: -1 }), /above must be a number from 0 to 100/],
    [metricRule({ metric: 'load', above: -0.5 }), /above must be a number of at least 0/],
    [metricRule({ forSeconds: 0 }), /forSeconds must be a number from 1 to 3600, got 0/],
    [metricRule({ forSeconds: 3601 }), /forSeconds must be a number from 1 to 3600/],
    ['a rule', /alert rule 1: expected an object, got a string/],
    [null, /alert rule 1: expected an object, got null/],
  ];
  for (const [rule, pattern] of cases) {
    const { rules, errors } = validateAlertRules([rule]);
    assert.equal(rules.length, 0, `accepted: ${JSON.stringify(rule)}`);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, pattern);
    assert.match(errors[0]!, /^alert rule 1/);
  }
  // A load above 100 is fine: it is not a percentage.
  assert.deepEqual(validateAlertRules([metricRule({ metric: 'load', above: 150 })]).errors, []);
  // Several problems of one rule come in one message, with its name.
  const [both] = validateAlertRules([lineRule({ flags: 'y', cooldownSeconds: -3 })]).errors;
  assert.match(both!, /^alert rule 1 \("Errors"\): .*cooldownSeconds.*; flags/);
});

test('validateAlertRules: ids are unique, the list is bounded, and a non-list is refused', () => {
  const dup = validateAlertRules([lineRule(), metricRule({ id: 'r1' })]);
  assert.deepEqual(dup.rules.map((r: AlertRule) => r.kind), ['line']);
  assert.match(dup.errors[0]!, /alert rule 2 \("CPU high"\): id "r1" is already used by alert rule 1/);

  const many = validateAlertRules(Array.from({ length: 201 }, (_, i) => metricRule({ id: `m${i}` })));
  assert.equal(many.rules.length, 200);
  assert.match(many.errors[0]!, /at most 200, got 201/);

  assert.deepEqual(validateAlertRules({ rules: [] }), { rules: [], errors: ['alert rules: expected a list, got an object'] });
});

test('a hosts setting that cannot be used is dropped with a warning that does not show the password; the rest is kept', async (t) => {
  const dir = await testDir(t);
  await writeFile(settingsPath(dir), JSON.stringify({ version: 2, hosts: { redis: 'http://user:s3cret@redis:6379', redisCa: null }, preferences: { openAtLogin: true } }));
  const { file, warnings } = await openIn(dir);
  assert.deepEqual(file.get().hosts, { redis: null, redisCa: null });
  assert.equal(file.get().preferences.openAtLogin, true);
  assert.ok(warnings.some((w) => /hosts: the Redis URL must start with redis:\/\/ or rediss:\/\//.test(w)), warnings.join('\n'));
  assert.doesNotMatch(warnings.join('\n'), /s3cret/);
});
