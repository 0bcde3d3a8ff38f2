// The built preload (dist/preload/preload.cjs) run against a fake `electron` that records what it exposes:
// one `window.tailwatch`, one method per IPC channel of the map, and no way to reach raw IPC or an event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../protocol/desktop-ipc';
import { PACKAGE_ROOT } from '../../main/app/package-info';

const PRELOAD = join(PACKAGE_ROOT, 'dist', 'preload', 'preload.cjs');

class FakeFile {
  constructor(readonly path: string) {}
}

type Listener = (...args: unknown[]) => void;

/** Arrays made inside the preload's context have that context's Array: compare plain copies. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function loadPreload() {
  const required: string[] = [];
  const exposed: [string, unknown][] = [];
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args });
      return { answerTo: channel };
    },
    on: (channel: string, listener: Listener) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener),
    removeListener: (channel: string, listener: Listener) => void listeners.get(channel)?.delete(listener),
    send: () => assert.fail('the preload must not use ipcRenderer.send'),
    sendSync: () => assert.fail('the preload must not use ipcRenderer.sendSync'),
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.push([key, api]) },
    ipcRenderer,
    webUtils: { getPathForFile: (file: FakeFile) => file.path },
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(PRELOAD, 'utf8'), {
    module,
    exports: module.exports,
    File: FakeFile,
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
  });
  const emit = (channel: string, event: unknown, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener(event, payload);
  };
  return { required, exposed, invoked, listeners, ipcRenderer, electron, emit };
}

const METHODS = [
  'addDropped', 'getAlerts', 'getHosts', 'getPreferences', 'getShare', 'listSources', 'notify', 'on', 'pickFiles', 'pickFolders',
  'removeSource', 'revealFile', 'revokeShare', 'serverInfo', 'setAlerts', 'setHosts', 'setPreferences', 'setShare', 'takeNotices',
];

test('the preload exposes exactly one frozen `tailwatch` object with the bridge methods, requiring only electron', () => {
  const { required, exposed } = loadPreload();
  assert.deepEqual([...new Set(required)], ['electron']);
  assert.equal(exposed.length, 1);
  const [key, api] = exposed[0]!;
  assert.equal(key, 'tailwatch');
  assert.ok(Object.isFrozen(api));
  const bridge = api as Record<string, unknown>;
  assert.equal(bridge.apiVersion, 1);
  assert.deepEqual(Object.keys(bridge).filter((k) => k !== 'apiVersion').sort(), METHODS);
  for (const name of METHODS) assert.equal(typeof bridge[name], 'function', name);
});

test('nothing reachable from the bridge is ipcRenderer, contextBridge or one of their functions', () => {
  const { exposed, electron } = loadPreload();
  const forbidden = new Set<unknown>([electron, electron.ipcRenderer, electron.contextBridge, electron.webUtils]);
  for (const part of [electron.ipcRenderer, electron.contextBridge, electron.webUtils]) for (const v of Object.values(part)) forbidden.add(v);
  const seen = new Set<unknown>();
  const walk = (value: unknown, path: string) => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    assert.ok(!forbidden.has(value), `${path} leaks a raw Electron object`);
    seen.add(value);
    for (const k of Reflect.ownKeys(value)) {
      const d = Object.getOwnPropertyDescriptor(value, k)!;
      if ('value' in d) walk(d.value, `${path}.${String(k)}`);
    }
  };
  walk(exposed[0]![1], 'tailwatch');
});

test('each method invokes its own channel with its arguments, and every invoke channel of the map has a method', async () => {
  const { exposed, invoked } = loadPreload();
  const bridge = exposed[0]![1] as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const calls: [string, unknown[], string, unknown[]][] = [
    ['serverInfo', [], 'tailwatch:server-info', []],
    ['pickFolders', [], 'tailwatch:pick-sources', ['folders']],
    ['pickFiles', [], 'tailwatch:pick-sources', ['files']],
    ['listSources', [], 'tailwatch:list-sources', []],
    ['removeSource', ['abc'], 'tailwatch:remove-source', ['abc']],
    ['revealFile', ['s1'], 'tailwatch:reveal-file', ['s1']],
    ['getShare', [], 'tailwatch:get-share', []],
    ['setShare', [{ enabled: true }], 'tailwatch:set-share', [{ enabled: true }]],
    ['revokeShare', [], 'tailwatch:revoke-share', []],
    ['getAlerts', [], 'tailwatch:get-alerts', []],
    ['setAlerts', [[]], 'tailwatch:set-alerts', [[]]],
    ['getPreferences', [], 'tailwatch:get-preferences', []],
    ['setPreferences', [{ openAtLogin: true }], 'tailwatch:set-preferences', [{ openAtLogin: true }]],
    ['getHosts', [], 'tailwatch:get-hosts', []],
    ['setHosts', [{ redis: 'redis://r:6379', redisCa: null }], 'tailwatch:set-hosts', [{ redis: 'redis://r:6379', redisCa: null }]],
    ['notify', [{ title: 't', body: 'b' }], 'tailwatch:notify', [{ title: 't', body: 'b' }]],
    ['addDropped', [[]], 'tailwatch:add-paths', [[]]],
    ['takeNotices', [], 'tailwatch:take-notices', []],
  ];
  for (const [method, args, channel, sent] of calls) {
    invoked.length = 0;
    const answer = await bridge[method]!(...args);
    assert.deepEqual(plain(invoked), [{ channel, args: sent }], method);
    assert.deepEqual(answer, { answerTo: channel }, `${method} answers what the main process answered`);
  }
  assert.deepEqual(new Set(calls.map((c) => c[2])), new Set(INVOKE_CHANNELS));
});

test('a drop hands on only the paths of File objects, at most 100', async () => {
  const { exposed, invoked } = loadPreload();
  const bridge = exposed[0]![1] as { addDropped(files: ArrayLike<unknown>): Promise<unknown> };
  await bridge.addDropped([new FakeFile('/var/log/a.log'), '/etc/shadow', { path: '/etc/passwd' }, new FakeFile('/srv/logs')]);
  assert.deepEqual(plain(invoked.at(-1)), { channel: 'tailwatch:add-paths', args: [['/var/log/a.log', '/srv/logs']] });
  await bridge.addDropped(Array.from({ length: 150 }, (_, i) => new FakeFile(`/l/${i}`)));
  assert.equal((invoked.at(-1)!.args[0] as string[]).length, 100);
  await bridge.addDropped(null as unknown as ArrayLike<unknown>);
  assert.deepEqual(plain(invoked.at(-1)!.args), [[]]);
});

test('event listeners get the payload alone, never the IPC event; unknown channels are refused; unsubscribe works', () => {
  const { exposed, emit, listeners } = loadPreload();
  const bridge = exposed[0]![1] as { on(channel: string, listener: (...args: unknown[]) => void): () => void };
  for (const channel of EVENT_CHANNELS) {
    const got: unknown[][] = [];
    const off = bridge.on(channel, (...args) => got.push(args));
    const event = { sender: 'the raw ipcRenderer', ports: [] };
    emit(channel, event, { hello: channel });
    assert.deepEqual(got, [[{ hello: channel }]], channel);
    off();
    emit(channel, event, { again: true });
    assert.equal(got.length, 1, `${channel}: no call after unsubscribing`);
    assert.equal(listeners.get(channel)?.size ?? 0, 0);
  }
  assert.throws(() => bridge.on('tailwatch:server-info', () => {}), /no such event/);
  assert.throws(() => bridge.on('ELECTRON_BROWSER_REQUIRE', () => {}), /no such event/);
  assert.throws(() => bridge.on('tailwatch:jump', 'not a function' as never), /must be a function/);
});
