// The charts' stores per host (serve --redis): where each sample goes, and the bound on hosts kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostMetrics, MAX_CHART_HOSTS } from '../../renderer/charts/host-metrics';

test('each host has stores of its own; the server\'s own takes samples without a host or with its name', () => {
  const hosts = new HostMetrics();
  hosts.setOwnHost('hub');
  assert.equal(hosts.storesFor(undefined, ''), hosts.own);
  assert.equal(hosts.storesFor('hub', ''), hosts.own);
  const web1 = hosts.storesFor('web1', '');
  assert.notEqual(web1, hosts.own);
  assert.equal(hosts.storesFor('web1', ''), web1);
  assert.deepEqual(hosts.otherHosts(), ['web1']);
  assert.equal(hosts.shown('web1'), web1);
  // A host not heard from (yet) shows the server's own.
  assert.equal(hosts.shown('web9'), hosts.own);
  assert.equal(hosts.shown(''), hosts.own);
});

test(`at most MAX_CHART_HOSTS (${MAX_CHART_HOSTS}) hosts are kept: the one heard from longest ago goes, never the one shown`, async () => {
  const hosts = new HostMetrics(3);
  hosts.storesFor('a', '');
  await new Promise((resolve) => setTimeout(resolve, 2));
  hosts.storesFor('b', '');
  await new Promise((resolve) => setTimeout(resolve, 2));
  // Own + a + b is the bound: c takes the place of a, heard from longest ago.
  hosts.storesFor('c', '');
  assert.deepEqual(hosts.otherHosts(), ['b', 'c']);
  // b is shown: it stays, though it was heard from before c.
  hosts.storesFor('d', 'b');
  assert.deepEqual(hosts.otherHosts(), ['b', 'd']);
});
