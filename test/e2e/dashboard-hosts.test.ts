// The dashboard of `serve --redis` in real Chromium: a real redis-server where two hosts publish (simulated
// agents writing real stream entries) beside the server's own file. The sidebar groups sources by host (the
// server's own first), rows and the download say `host: name`, the host picker switches the charts (and is
// remembered), the process table names the server's host, a silent host shows as disconnected, and a phone
// keeps the picker and the headings inside the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { MetricsData, SourceInfo } from '../../protocol/events';
import { dashboardFixture } from '../helpers/e2e-fixture';
import { connectedVia, inPage, screenshot, untilInPage } from '../helpers/dashboard-browser';
import { HOST_TIMINGS, startFakeHost, type FakeHost } from '../helpers/fake-host';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { assertNoOverflow } from '../helpers/page-overflow';

const TEST_TIMEOUT_MS = 120_000;
/** Samples and a server's silence check take seconds, more while other test files run beside. */
const SLOW_MS = 30_000;
/** A host name as long as cloud ones are (host names are at most 63 characters here): it must not widen a phone's page. */
const ALPHA = 'alpha-10-0-12-34.build-runner-0042.eu-west-1.compute.internal';
const BETA = 'beta';
const OWN = hostname();

let redis: TestRedis | undefined;
const hosts = new Map<string, { host: FakeHost; source: SourceInfo; sending: boolean; cores: number; cpu: number; rate: number }>();
let ticker: NodeJS.Timeout | undefined;

/** A whole sample, as an agent sends it: this host's cores, CPU and one source's rate, so the charts tell hosts apart. */
function sampleOf(h: { source: SourceInfo; cores: number; cpu: number; rate: number }): Partial<MetricsData> {
  return {
    ts: Date.now(),
    cpu: { total: h.cpu, cores: Array.from({ length: h.cores }, () => h.cpu), user: h.cpu, system: 0, iowait: 0, steal: 0 },
    mem: { total: 8e9, used: 2e9, available: 6e9, cached: 1e9, swapTotal: 0, swapUsed: 0 },
    load: [0.5, 0.4, 0.3],
    net: [],
    disk: [],
    fs: [],
    uptime: 1000,
    self: { cpu: 1, rss: 5e7, eventLoopLagMs: 1, openFds: 20, clients: 0, eventsSent: 0, eventsDropped: 0, bytesSent: 0 },
    logs: [{ source: h.source.id, linesPerSec: h.rate, errorsPerSec: 0, lines: 3 }],
  };
}

const fx = dashboardFixture({
  name: 'hosts',
  files: { 'own.log': 'own 1\nown 2\n' },
  timings: HOST_TIMINGS,
  open: { viewport: { width: 1366, height: 768 } },
  prepare: async () => {
    redis = await startRedis(null);
    for (const [name, cores, cpu, rate] of [[ALPHA, 5, 11, 3], [BETA, 3, 77, 40]] as const) {
      const host = await startFakeHost(redis.url, name);
      // The same file name on both hosts: only the host tells their lines apart.
      const source = await host.addSource('/var/log/app.log');
      await host.log(source, 1, 3, `${name === ALPHA ? 'alpha' : 'beta'} line`);
      hosts.set(name, { host, source, sending: true, cores, cpu, rate });
    }
    // Each host is heard from twice a second, as an agent's samples keep it connected.
    ticker = setInterval(() => {
      for (const h of hosts.values()) if (h.sending) void h.host.metrics(sampleOf(h)).catch(() => {});
    }, 500);
    return { redis: redis.url };
  },
  cleanup: async () => {
    clearInterval(ticker);
    for (const h of hosts.values()) await h.host.close();
    await redis?.stop();
  },
});

const idOf = (name: string) => hosts.get(name)!.source.id;

test('sources are grouped by host, the server\'s own first; rows and the download say host: name; the picker switches the charts', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await fx.open(t);
  await connectedVia(page);

  // Sidebar: a heading per host, each followed by its sources.
  await untilInPage(page, `document.querySelectorAll('#source-list .source-host').length === 3`, SLOW_MS);
  const groups = await inPage<{ host: string; state: string; sources: string[] }[]>(
    page,
    `[...document.querySelectorAll('#source-list .source-host')].map((heading) => {
      const sources = [];
      for (let next = heading.nextElementSibling; next !== null && !next.classList.contains('source-host'); next = next.nextElementSibling) sources.push(next.dataset.source);
      return { host: heading.dataset.host, state: heading.querySelector('.host-state').textContent, sources };
    })`,
  );
  const ownId = fx.tw.sources().find((s) => s.name === 'own.log')!.id;
  assert.deepEqual(groups, [
    { host: OWN, state: 'this server', sources: [ownId] },
    { host: ALPHA, state: '', sources: [idOf(ALPHA)] },
    { host: BETA, state: '', sources: [idOf(BETA)] },
  ]);

  // The merged view: every line with its host.
  const sourceOf = (text: string) => `[...document.querySelectorAll('#log-view .row')].find((row) => row.querySelector('.text')?.textContent === ${JSON.stringify(text)})?.querySelector('.source')?.textContent`;
  assert.equal(await untilInPage(page, sourceOf('alpha line 1'), SLOW_MS), `${ALPHA}: app.log`);
  assert.equal(await untilInPage(page, sourceOf('beta line 3')), `${BETA}: app.log`);
  assert.equal(await untilInPage(page, sourceOf('own 2')), `${OWN}: own.log`);
  // One view merges the hosts by time: alpha's lines were written first, then beta's, then the server read its file.
  assert.deepEqual(
    await inPage(page, `[...document.querySelectorAll('#log-view .row .text')].map((cell) => cell.textContent)`),
    ['alpha line 1', 'alpha line 2', 'alpha line 3', 'beta line 1', 'beta line 2', 'beta line 3', 'own 1', 'own 2'],
  );
  // A long host cuts the column: the whole label on hover.
  assert.equal(await inPage(page, sourceOf('alpha line 1').replace(/\?\.textContent$/, '?.title')), `${ALPHA}: app.log`);

  // The download names them the same way.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[title^="Download"]').click()]);
  const lines = (await readFile((await download.path())!, 'utf8')).split('\n');
  for (const line of [`${ALPHA}: app.log | alpha line 1`, `${BETA}: app.log | beta line 3`, `${OWN}: own.log | own 2`]) assert.ok(lines.includes(line), `${line} in ${JSON.stringify(lines)}`);

  // The charts: the server's own machine until another host is picked; the picker lists the hosts.
  const picker = page.locator('.charts-host-select');
  await picker.waitFor({ state: 'visible', timeout: SLOW_MS });
  assert.deepEqual(await inPage(page, `[...document.querySelectorAll('.charts-host-select option')].map((o) => o.value)`), ['', ALPHA, BETA]);
  assert.equal(await inPage(page, `document.getElementById('charts').dataset.host`), '');
  const cpuHeadline = `document.querySelector('.chart-cpu .chart-values')?.textContent ?? ''`;
  // The sources the log-rate chart's legend names (its `errors` entry aside).
  const logLegend = `[...document.querySelectorAll('.chart-logs .chart-legend-item')].map((item) => item.dataset.legendId).filter((id) => id !== 'errors')`;
  await untilInPage(page, `${logLegend}.includes(${JSON.stringify(ownId)})`, SLOW_MS);

  await picker.selectOption(BETA);
  await untilInPage(page, `document.getElementById('charts').dataset.host === ${JSON.stringify(BETA)} && (${cpuHeadline}).includes('3 cores') && (${cpuHeadline}).includes('77')`, SLOW_MS);
  // The log-rate chart shows beta's source, not alpha's nor the server's own.
  await untilInPage(page, `JSON.stringify(${logLegend}) === ${JSON.stringify(JSON.stringify([idOf(BETA)]))}`);
  await screenshot(page, 'hosts-picked', 2_000);

  await picker.selectOption(ALPHA);
  await untilInPage(page, `(${cpuHeadline}).includes('5 cores') && (${cpuHeadline}).includes('11')`);
  await untilInPage(page, `JSON.stringify(${logLegend}) === ${JSON.stringify(JSON.stringify([idOf(ALPHA)]))}`);
  // The processes are the server's own: the table says so.
  assert.equal(await inPage(page, `document.querySelector('.process-title').textContent`), `Processes on ${OWN}`);

  // Remembered across a reload.
  await page.reload();
  await connectedVia(page);
  await untilInPage(page, `document.getElementById('charts').dataset.host === ${JSON.stringify(ALPHA)} && (${cpuHeadline}).includes('5 cores')`, SLOW_MS);
  await picker.selectOption('');
  await untilInPage(page, `document.getElementById('charts').dataset.host === '' && !(${cpuHeadline}).includes('5 cores')`);
  assert.deepEqual(problems, []);
});

test('a host whose agent is silent shows as disconnected, and comes back', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await fx.open(t);
  await connectedVia(page);
  const beta = hosts.get(BETA)!;
  const heading = `document.querySelector('#source-list .source-host[data-host="${BETA}"]')`;
  await untilInPage(page, `${heading} !== null && !${heading}.classList.contains('disconnected')`, SLOW_MS);
  beta.sending = false;
  try {
    await untilInPage(page, `${heading}.classList.contains('disconnected') && ${heading}.querySelector('.host-state').textContent === 'disconnected'`, SLOW_MS);
    assert.equal(await inPage(page, `document.querySelector('#source-list .source-item[data-source="${beta.source.id}"] .state').textContent`), 'disconnected');
    // The other host and the server's own are not.
    assert.equal(await inPage(page, `document.querySelector('#source-list .source-host[data-host="${ALPHA}"]').classList.contains('disconnected')`), false);
  } finally {
    beta.sending = true;
  }
  await untilInPage(page, `!${heading}.classList.contains('disconnected')`, SLOW_MS);
  assert.deepEqual(problems, []);
});

test('on a 360 px phone the host picker and the host headings stay inside the window', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await fx.open(t, { viewport: { width: 360, height: 740 } });
  await connectedVia(page);
  await page.locator('.charts-host-select').waitFor({ state: 'visible', timeout: SLOW_MS });
  await page.locator('.charts-host-select').selectOption(ALPHA);
  await untilInPage(page, `document.getElementById('charts').dataset.host === ${JSON.stringify(ALPHA)}`, SLOW_MS);
  await assertNoOverflow(page, 'the picker showing a long host name');
  // Not cut off by a clipping ancestor either: the whole picker is in the window.
  assert.ok(await inPage(page, `document.querySelector('.charts-host-select').getBoundingClientRect().right <= innerWidth`), 'the picker ends inside the window');
  await page.locator('#open-sources').click();
  await untilInPage(page, `document.getElementById('sidebar').getBoundingClientRect().left >= 0`);
  await untilInPage(page, `document.querySelectorAll('#source-list .source-host').length === 3`, SLOW_MS);
  await assertNoOverflow(page, 'the sources drawer open with host headings');
  const cut = await inPage<string[]>(page, `[...document.querySelectorAll('#source-list .source-host, #source-list .source-host .host-state')].filter((e) => e.getBoundingClientRect().right > innerWidth).map((e) => e.className)`);
  assert.deepEqual(cut, [], 'headings and their states end inside the window');
  await screenshot(page, 'hosts-phone-drawer');
  assert.deepEqual(problems, []);
});
