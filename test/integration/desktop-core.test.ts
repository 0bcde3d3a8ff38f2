// The desktop's controllers on a real core (files on disk, listeners on loopback), as the shell wires
// them, without Electron: sources added and removed, Share Dashboard on and off with revoke, the IPC
// handlers' argument checks, alerts from live lines only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertRule, DesktopHosts, DesktopSource, ShareRequest, ShareState } from '../../protocol/desktop-ipc';
import { DesktopSources } from '../../main/desktop/desktop-sources';
import { desktopSourceId } from '../../main/desktop/settings-file';
import { hostsView } from '../../main/desktop/settings-schema';
import { ShareController } from '../../main/desktop/share-controller';
import { loadOrCreateCertificate } from '../../main/desktop/share-plan';
import { ipcHandlers, type IpcDependencies } from '../../main/desktop/ipc-handlers';
import { PageNotices } from '../../main/desktop/page-notices';
import { DesktopAlerts } from '../../main/desktop/desktop-alerts';
import type { AlertFired } from '../../main/desktop/alert-engine';
import { startTestServer, type TestServer } from '../helpers/server';
import { openSse } from '../helpers/sse-reader';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

async function server(t: { after(fn: () => Promise<void>): void }): Promise<TestServer> {
  const s = await startTestServer({ dir: [] });
  t.after(() => s.close());
  return s;
}

function desktopSources(s: TestServer) {
  const saved: DesktopSource[][] = [];
  const sources = new DesktopSources({ roots: s.tw, idOf: desktopSourceId, save: (l) => saved.push(l), changed: () => {}, warn: () => {} });
  return { sources, saved };
}

test('added folders and files are checked, followed by the core, remembered, and removable by id', async (t) => {
  const s = await server(t);
  const root = await testDir(t);
  await mkdir(join(root, 'app'));
  await writeFile(join(root, 'app', 'a.log'), 'from the folder\n');
  await writeFile(join(root, 'single.log'), 'from the file\n');
  const { sources, saved } = desktopSources(s);
  const result = await sources.addPaths([join(root, 'app'), join(root, 'single.log'), join(root, 'missing'), 'relative/path', 42, join(root, 'app')]);
  assert.deepEqual(result.added.map((a) => [a.kind, a.path]), [['folder', join(root, 'app')], ['file', join(root, 'single.log')]]);
  assert.deepEqual(result.rejected.map((r) => r.reason), ['not found', 'not an absolute path', 'not a path', 'already added']);
  await waitFor(() => s.tw.sources().length === 2, 'both files followed');
  assert.deepEqual(saved.at(-1), result.added);
  await sources.remove(result.added[0]!.id);
  assert.deepEqual(s.tw.roots().dirs, []);
  await waitFor(() => s.tw.sources().every((src) => src.path === join(root, 'single.log')), 'the folder\'s file dropped');
  await assert.rejects(sources.remove('no-such-id'), /no source with id/);
  assert.deepEqual(sources.list(), [result.added[1]]);
});

/** `path` on a shared dashboard's URL, keeping its token. */
function sharedPath(dashboardUrl: string, path: string): string {
  const url = new URL(path, dashboardUrl);
  url.searchParams.set('token', new URL(dashboardUrl).searchParams.get('token')!);
  return url.href;
}

function shareController(s: TestServer, dir: string) {
  const remembered: (ShareRequest | null)[] = [];
  const states: ShareState[] = [];
  const share = new ShareController({
    listen: (o) => s.tw.share(o),
    // Sharing offers no loopback address to users; the test binds one so that it stays on this machine.
    interfaces: () => [{ label: 'loopback', address: '127.0.0.1' }],
    certificate: () => loadOrCreateCertificate(dir),
    remember: (r) => remembered.push(r),
    changed: (state) => states.push(state),
  });
  return { share, remembered, states };
}

test('Share Dashboard: on with its own token, lists clients, revoke drops them and the old token, off forgets', async (t) => {
  const s = await server(t);
  const { share, remembered, states } = shareController(s, await testDir(t));
  t.after(() => share.close());
  assert.equal(share.state().enabled, false, 'off by default');
  const on = await share.set({ enabled: true, address: '127.0.0.1', port: 0, tls: false, remember: true });
  assert.equal(on.error, null);
  assert.match(on.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
  assert.match(on.qrDataUrl ?? '', /^data:image\/svg\+xml;base64,/);
  assert.notEqual(new URL(on.url!).searchParams.get('token'), s.tw.token, 'its own token');
  assert.deepEqual(remembered.at(-1), { enabled: true, address: '127.0.0.1', port: 0, tls: false, remember: true });

  const events = sharedPath(on.url!, '/api/events?topics=sources');
  const client = await openSse(events);
  t.after(() => client.close());
  assert.equal(client.status, 200);
  const listed = await waitFor(() => states.at(-1)?.clients.length === 1 && states.at(-1), 'the client listed', 10_000);
  assert.equal(listed.clients[0]!.address.replace(/^::ffff:/, ''), '127.0.0.1');
  assert.ok(Date.now() - listed.clients[0]!.since < 60_000);
  assert.equal(s.tw.clients().length, 0, 'the local listener does not list shared clients');

  const revoked = await share.revoke();
  assert.notEqual(revoked.url, on.url);
  await client.ended;
  assert.equal((await fetch(events)).status, 401, 'the old token no longer works');
  const fresh = await openSse(sharedPath(revoked.url!, '/api/events?topics=sources'));
  assert.equal(fresh.status, 200);
  fresh.close();

  const off = await share.set({ enabled: false, address: '127.0.0.1', port: 0, tls: false, remember: false });
  assert.equal(off.url, null);
  assert.equal(remembered.at(-1), null);
  await assert.rejects(fetch(revoked.url!), 'nothing listens any more');
});

test('Share Dashboard over TLS: the fingerprint shown is the certificate the server presents', async (t) => {
  const s = await server(t);
  const dir = await testDir(t);
  const { share } = shareController(s, dir);
  t.after(() => share.close());
  const on = await share.set({ enabled: true, address: '127.0.0.1', port: 0, tls: true, remember: false });
  assert.match(on.url ?? '', /^https:\/\//);
  const { cert, fingerprint } = await loadOrCreateCertificate(dir);
  assert.equal(on.fingerprint, fingerprint);
  const presented = await new Promise<string>((resolve, reject) => {
    const req = httpsRequest(new URL('/api/health', on.url!), { ca: cert, checkServerIdentity: () => undefined }, (res) => {
      res.resume();
      resolve((res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(presented, fingerprint);
});

test('a share request the page cannot make is refused, and a port in use is an error in the state, not a crash', async (t) => {
  const s = await server(t);
  const { share, remembered } = shareController(s, await testDir(t));
  t.after(() => share.close());
  assert.throws(() => share.set({ enabled: true, address: '10.9.9.9', port: 0, tls: false, remember: false }));
  assert.throws(() => share.set('share please'));
  const busy = await share.set({ enabled: true, address: '127.0.0.1', port: s.tw.port, tls: false, remember: true });
  assert.equal(busy.enabled, false);
  assert.match(busy.error ?? '', /in use/);
  assert.equal(remembered.length, 0, 'a share that did not start is not remembered');
  await share.set({ enabled: true, address: '127.0.0.1', port: 0, tls: false, remember: true });
  assert.equal(remembered.at(-1)?.port, 0);
  await share.set({ enabled: true, address: '127.0.0.1', port: s.tw.port, tls: false, remember: true });
  assert.equal(remembered.length, 1, 'nor does a failed change replace what was remembered');
});

function handlers(s: TestServer, overrides: Partial<IpcDependencies> = {}) {
  const notified: unknown[] = [];
  const rules: AlertRule[][] = [];
  const hosts: DesktopHosts[] = [{ redis: null, redisCa: null }];
  const deps: IpcDependencies = {
    serverInfo: () => ({ url: s.tw.url, token: s.tw.token }),
    pickPaths: async () => [],
    sources: desktopSources(s).sources,
    pathOfWireSource: (id) => s.tw.sources().find((src) => src.id === id)?.path ?? null,
    revealPath: () => {},
    share: shareController(s, '/nonexistent').share,
    alerts: { get: () => rules.at(-1) ?? [], set: (r) => void rules.push(r) },
    preferences: { get: () => ({ openAtLogin: false, closeToTray: false }), set: async (change) => ({ openAtLogin: false, closeToTray: false, ...change }) },
    hosts: {
      stored: () => hosts.at(-1)!,
      view: () => hostsView(hosts.at(-1)!, null, false),
      set: async (h) => {
        hosts.push(h);
        return hostsView(h, null, false);
      },
    },
    notify: (n) => void notified.push(n),
    notices: new PageNotices(() => {}),
    ...overrides,
  };
  return { handlers: ipcHandlers(deps), notified, rules, hosts, notices: deps.notices };
}

test('the many-hosts setting: a usable URL and CA file are stored, the page never sees the password, and the URL it was shown keeps it', async (t) => {
  const s = await server(t);
  const { handlers: h, hosts } = handlers(s);
  assert.deepEqual(h['tailwatch:get-hosts'](), { redis: null, redisCa: null, inUse: null, fromCommandLine: false });
  assert.throws(() => h['tailwatch:set-hosts']({ redis: 'http://redis:6379', redisCa: null }), /must start with redis:\/\/ or rediss:\/\//);
  assert.throws(() => h['tailwatch:set-hosts']({ redis: 'rediss://redis:6379', redisCa: 'ca.pem' }), /absolute path/);
  assert.throws(() => h['tailwatch:set-hosts']({ redis: null, redisCa: '/etc/ca.pem' }), /only with a Redis URL/);
  assert.throws(() => h['tailwatch:set-hosts']('redis://redis'), /must be an object/);
  assert.equal(hosts.length, 1, 'nothing stored when refused');
  const view = await h['tailwatch:set-hosts']({ redis: ' rediss://server:s3cret@redis:6379 ', redisCa: '/etc/ca.pem' });
  assert.deepEqual(hosts.at(-1), { redis: 'rediss://server:s3cret@redis:6379', redisCa: '/etc/ca.pem' });
  assert.deepEqual(view, { redis: 'rediss://server@redis:6379', redisCa: '/etc/ca.pem', inUse: null, fromCommandLine: false });
  assert.doesNotMatch(JSON.stringify(h['tailwatch:get-hosts']()), /s3cret/);
  // The URL as shown, sent back with another CA file: the stored password stays.
  await h['tailwatch:set-hosts']({ redis: 'rediss://server@redis:6379', redisCa: null });
  assert.deepEqual(hosts.at(-1), { redis: 'rediss://server:s3cret@redis:6379', redisCa: null });
  // Emptied: this machine only.
  await h['tailwatch:set-hosts']({ redis: '', redisCa: '' });
  assert.deepEqual(hosts.at(-1), { redis: null, redisCa: null });
});

test('IPC handlers check every argument from the page', async (t) => {
  const s = await server(t);
  const { handlers: h, notified, rules } = handlers(s);
  await assert.rejects(async () => h['tailwatch:pick-sources']('everything'), /folders.*files/);
  await assert.rejects(async () => h['tailwatch:add-paths']('/etc'), /list of paths/);
  assert.throws(() => h['tailwatch:reveal-file']({ path: '/etc/passwd' }), /must be a string/);
  assert.equal(h['tailwatch:reveal-file']('unknown-id'), false);
  assert.throws(() => h['tailwatch:set-preferences']({ openAtLogin: 'yes' }), /true or false/);
  assert.throws(() => h['tailwatch:set-preferences']({ runAsRoot: true }), /no preference named runAsRoot/);
  assert.throws(() => h['tailwatch:set-preferences']({}), /no preference to change/);
  assert.throws(() => h['tailwatch:set-preferences']([true]), /must be an object/);
  assert.deepEqual(await h['tailwatch:set-preferences']({ closeToTray: true }), { openAtLogin: false, closeToTray: true });
  assert.throws(() => h['tailwatch:notify']({ title: 1 }), /strings/);
  h['tailwatch:notify']({ title: 'x'.repeat(5000), body: 'y' });
  assert.equal((notified[0] as { title: string }).title.length, 200);
  const bad = { id: 'a', name: 'bad', enabled: true, cooldownSeconds: 60, kind: 'line', pattern: '(unclosed', flags: '', sources: [] };
  assert.throws(() => h['tailwatch:set-alerts']([bad]), /set-alerts/);
  assert.equal(rules.length, 0, 'nothing stored when a rule is refused');
  const good = { ...bad, pattern: 'ERROR' };
  assert.deepEqual(h['tailwatch:set-alerts']([good]), [good]);
  assert.deepEqual(h['tailwatch:server-info'](), { url: s.tw.url, token: s.tw.token });
});

test('the page takes the notices posted before it listened, once', async (t) => {
  const s = await server(t);
  const { handlers: h, notices } = handlers(s);
  notices.post({ kind: 'problem', message: 'settings changes are not saved' });
  assert.deepEqual(h['tailwatch:take-notices'](), [{ kind: 'problem', message: 'settings changes are not saved' }]);
  assert.deepEqual(h['tailwatch:take-notices'](), []);
});

test('alerts ring for live lines that match, not for the backfill of a folder added later', async (t) => {
  const s = await server(t);
  const root = await testDir(t);
  await writeFile(join(root, 'old.log'), 'ERROR from before the app started\n'.repeat(3));
  const fired: AlertFired[] = [];
  const rule: AlertRule = { id: 'r1', name: 'errors', enabled: true, cooldownSeconds: 0, kind: 'line', pattern: 'ERROR', flags: '', sources: [] };
  const alerts = new DesktopAlerts({ core: s.tw, rules: [rule], notify: (f) => fired.push(f), warn: () => {} });
  t.after(() => alerts.close());
  await s.tw.addDir(root);
  const old = await waitFor(() => s.tw.sources().find((src) => src.name === 'old.log' && src.lines === 3), 'the backfill read');
  assert.equal(fired.length, 0, 'backfilled lines do not ring');
  await appendFile(join(root, 'old.log'), 'ERROR disk full\n');
  const alert = await waitFor(() => fired[0], 'the alert');
  assert.match(alert.body, /ERROR disk full/);
  assert.equal(alert.jump.source, old.id);
  assert.equal(alert.jump.seq, 4);
});
