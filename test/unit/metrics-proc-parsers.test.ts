// The /proc parsers and the rate arithmetic, on captured files (test/fixtures/proc, see its README) and on
// small inline texts; every expected figure is worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parsePidStat,
  parseProcStat,
  parseUptime,
  scanUints,
  unescapeMountField,
} from '../../main/sources/metrics/proc-parsers';
import { counterDelta, cpuMetrics, cpuShares, diskRates, netRates } from '../../main/sources/metrics/rates';
import { isPartitionName, isSkippedDevice, WholeDiskCheck } from '../../main/sources/metrics/block-devices';
import { fsMetrics, realMounts } from '../../main/sources/metrics/file-systems';

const FIXTURES = fileURLToPath(new URL('../fixtures/proc/', import.meta.url));
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const KiB = 1024;

test('scanUints reads every unsigned integer, anything else separating them', () => {
  const out: number[] = [];
  assert.equal(scanUints('  12 0 -1 345\t6', 0, 16, out), 5);
  assert.deepEqual(out.slice(0, 5), [12, 0, 1, 345, 6]);
  assert.equal(scanUints('abc', 0, 3, out), 0);
  assert.equal(scanUints('18446744073709551615', 0, 20, out), 1);
  assert.equal(out[0], 2 ** 64);
});

test('/proc/stat: the cpu line and each core, in ticks', () => {
  const stat = parseProcStat(fixture('first/stat'));
  assert.deepEqual(stat.total, [86546, 2036, 30214, 798192, 772, 0, 498, 62]);
  assert.deepEqual(stat.cores, [
    { id: 0, times: [41772, 1066, 14647, 401278, 111, 0, 195, 28] },
    { id: 1, times: [44774, 969, 15566, 396913, 661, 0, 303, 34] },
  ]);
  // An old kernel without steal, and an offline core (ids need not be consecutive).
  const old = parseProcStat('cpu  10 0 5 100 1 0 0\ncpu0 4 0 2 50 0 0 0\ncpu3 6 0 3 50 1 0 0\nintr 1\n');
  assert.deepEqual(old.total, [10, 0, 5, 100, 1, 0, 0, 0]);
  assert.deepEqual(old.cores.map((c) => c.id), [0, 3]);
});

test('CPU shares between the two fixture readings, exactly', () => {
  const cpu = cpuMetrics(parseProcStat(fixture('first/stat')), parseProcStat(fixture('second/stat')));
  // 400 ticks in all: user 210 + nice 10 = 220, system 30 + irq 5 + softirq 15 = 50, iowait 10, steal 4, idle 116.
  assert.deepEqual(cpu, { total: 68.5, user: 55, system: 12.5, iowait: 2.5, steal: 1, cores: [45, 92] });
  assert.equal(cpu.total, cpu.user + cpu.system + cpu.steal);
});

test('CPU: first reading, a field that goes back, no time passed, a core that comes online', () => {
  const a = parseProcStat('cpu  100 0 100 800 50 0 0 0\ncpu0 100 0 100 800 50 0 0 0\n');
  assert.deepEqual(cpuMetrics(null, a), { total: 0, cores: [0], user: 0, system: 0, iowait: 0, steal: 0 });
  // iowait went back by 10 (tickless kernels do this): it counts 0, never negative.
  assert.deepEqual(cpuShares([100, 0, 100, 800, 50, 0, 0, 0], [150, 0, 150, 900, 40, 0, 0, 0]), {
    total: 50,
    user: 25,
    system: 25,
    iowait: 0,
    steal: 0,
  });
  assert.deepEqual(cpuShares(a.total, a.total), { total: 0, user: 0, system: 0, iowait: 0, steal: 0 });
  const b = parseProcStat('cpu  150 0 150 900 50 0 0 0\ncpu0 150 0 150 850 50 0 0 0\ncpu1 0 0 0 50 0 0 0 0\n');
  assert.deepEqual(cpuMetrics(a, b).cores, [(100 * 100) / 150, 0]);
});

test('/proc/meminfo: bytes, used = total − available, cached = Cached + SReclaimable, swap', () => {
  const first = parseMeminfo(fixture('first/meminfo'));
  assert.deepEqual(first, {
    total: 24684092 * KiB,
    available: 24003752 * KiB,
    cached: (635316 + 121456) * KiB,
    swapTotal: 0,
    swapFree: 0,
  });
  const second = parseMeminfo(fixture('second/meminfo'));
  assert.equal(second.swapTotal, 2097148 * KiB);
  assert.equal(second.swapTotal - second.swapFree, 1048576 * KiB);
  // Before Linux 3.14 there is no MemAvailable: free + buffers + cached stands in.
  const old = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 300 kB\n');
  assert.equal(old.available, 420 * KiB);
});

test('/proc/loadavg and /proc/uptime', () => {
  assert.deepEqual(parseLoadavg(fixture('first/loadavg')), [0.13, 0.59, 0.62]);
  assert.equal(parseUptime(fixture('first/uptime')), 4616.29);
  assert.equal(parseUptime('12.5\n'), 12.5);
});

test('/proc/diskstats: every device with its read and written sectors', () => {
  const disks = parseDiskstats(fixture('first/diskstats'));
  assert.deepEqual(
    disks.map((d) => d.name),
    ['loop0', 'loop1', 'sda', 'sda1', 'sdb', 'vda', 'zram0', 'nvme0n1', 'nvme0n1p1'],
  );
  assert.deepEqual(disks.find((d) => d.name === 'vda'), { name: 'vda', sectorsRead: 9863122, sectorsWritten: 4948440 });
  // Kernels before 4.18 have 11 fields per device (no discard or flush counters).
  assert.deepEqual(parseDiskstats('   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n'), [{ name: 'sda', sectorsRead: 3, sectorsWritten: 7 }]);
});

test('/proc/net/dev: bytes in and out per interface, also when a counter touches the colon', () => {
  const net = parseNetDev(fixture('first/net/dev'));
  assert.deepEqual(net.map((n) => n.name), ['lo', 'ifb0', 'ifb1', 'eth0', 'wlan0']);
  assert.deepEqual(net.find((n) => n.name === 'eth0'), { name: 'eth0', rxBytes: 708627179, txBytes: 2545185 });
  assert.deepEqual(parseNetDev('h\nh\n  eth0:123456789012 5 0 0 0 0 0 0 99 7 0 0 0 0 0 0\n'), [
    { name: 'eth0', rxBytes: 123456789012, txBytes: 99 },
  ]);
});

test('counterDelta: growth, 32-bit wrap, reset, never negative or huge', () => {
  assert.equal(counterDelta(100, 250), 150);
  assert.equal(counterDelta(2 ** 32 - 296, 704), 1000);
  assert.equal(counterDelta(5000, 100), 0, 'a small counter going back is a reset, not a 4 GiB wrap');
  assert.equal(counterDelta(2 ** 40, 10), 0, 'a 64-bit counter going back is a reset');
  assert.equal(counterDelta(7, 7), 0);
});

test('network rates between the fixture readings: wrap, reset, gone and new interfaces', () => {
  const first = parseNetDev(fixture('first/net/dev'));
  const second = parseNetDev(fixture('second/net/dev'));
  const prev = new Map(first.map((n) => [n.name, n]));
  assert.deepEqual(netRates(prev, second, 2), [
    { name: 'lo', rxBytesPerSec: 500, txBytesPerSec: 500 },
    { name: 'ifb0', rxBytesPerSec: 0, txBytesPerSec: 0 },
    { name: 'eth0', rxBytesPerSec: 1_250_000, txBytesPerSec: 25_000 },
    { name: 'wlan0', rxBytesPerSec: 500, txBytesPerSec: 1_000_000 },
  ]);
  assert.deepEqual(netRates(prev, second, 0), [], 'no time passed: no rate');
});

test('disk rates between the fixture readings: bytes/s, wrap, reset, gone and new devices', () => {
  const check = new WholeDiskCheck(join(FIXTURES, 'sys'));
  const whole = (text: string) => parseDiskstats(text).filter((d) => check.isWholeDisk(d.name));
  const first = whole(fixture('first/diskstats'));
  assert.deepEqual(first.map((d) => d.name), ['sda', 'sdb', 'vda', 'nvme0n1']);
  const rates = diskRates(new Map(first.map((d) => [d.name, d])), whole(fixture('second/diskstats')), 2);
  assert.deepEqual(rates, [
    { name: 'sda', readBytesPerSec: (1592 * 512) / 2, writeBytesPerSec: 0 },
    { name: 'vda', readBytesPerSec: 1_024_000, writeBytesPerSec: 512_000 },
    { name: 'nvme0n1', readBytesPerSec: 2048, writeBytesPerSec: 0 },
  ]);
});

test('whole disks: sysfs partition files, else the name rule; loop, ram and zram left out', () => {
  for (const name of ['sda1', 'vdb12', 'xvda1', 'hdc3', 'nvme0n1p1', 'mmcblk0p2', 'nbd0p1', 'md0p1']) {
    assert.equal(isPartitionName(name), true, name);
  }
  for (const name of ['sda', 'vda', 'nvme0n1', 'mmcblk0', 'md127', 'dm-0', 'sr0', 'nbd0']) {
    assert.equal(isPartitionName(name), false, name);
  }
  for (const name of ['loop0', 'ram15', 'zram0']) assert.equal(isSkippedDevice(name), true, name);
  const bySys = new WholeDiskCheck(join(FIXTURES, 'sys'));
  assert.equal(bySys.isWholeDisk('sda'), true);
  assert.equal(bySys.isWholeDisk('sda1'), false);
  assert.equal(bySys.isWholeDisk('zram0'), false);
  assert.equal(bySys.isWholeDisk('sde3'), false, 'unknown to sysfs: by name');
  const byName = new WholeDiskCheck(null);
  assert.equal(byName.isWholeDisk('nvme0n1'), true);
  assert.equal(byName.isWholeDisk('nvme0n1p1'), false);
  assert.equal(byName.size, 2);
  byName.forget(new Set(['nvme0n1']));
  assert.equal(byName.size, 1);
});

test('/proc/self/mounts: fields unescaped; real file systems, one per device at its shortest mount point', () => {
  const mounts = parseMounts(fixture('first/self/mounts'));
  assert.equal(mounts.length, 24);
  assert.deepEqual(mounts[5], { device: '/dev/vda', mount: '/', type: 'ext4' });
  assert.equal(unescapeMountField('/mnt/a\\040b\\134c\\011d'), '/mnt/a b\\c\td');
  assert.equal(unescapeMountField('/mnt/a\\04'), '/mnt/a\\04');
  assert.deepEqual(realMounts(mounts), [
    { device: '/dev/vda', mount: '/', type: 'ext4' },
    { device: '/dev/sda1', mount: '/mnt/My Disk', type: 'ext4' },
    { device: 'server:/export', mount: '/mnt/nfs', type: 'nfs4' },
  ]);
  // A container's root is an overlay and is kept.
  assert.deepEqual(realMounts(parseMounts('overlay / overlay rw 0 0\n')), [{ device: 'overlay', mount: '/', type: 'overlay' }]);
});

test('file-system space as df has it: used = blocks − free, % of used + available', () => {
  const m = { device: '/dev/vda', mount: '/', type: 'ext4' };
  assert.deepEqual(fsMetrics(m, { bsize: 4096, blocks: 1000, bfree: 300, bavail: 100 }), {
    mount: '/',
    device: '/dev/vda',
    type: 'ext4',
    size: 4_096_000,
    used: 2_867_200,
    usedPercent: 87.5,
  });
  assert.equal(fsMetrics(m, { bsize: 4096, blocks: 0, bfree: 0, bavail: 0 }), null);
});

test('/proc/[pid]/stat: a name with spaces and parentheses, CPU ticks, start, RSS pages', () => {
  assert.deepEqual(parsePidStat(fixture('processes/first/100/stat')), {
    pid: 100,
    name: 'my (odd) proc',
    cpuTicks: 1000,
    startTicks: 5000,
    rssPages: 2000,
  });
  // Captured from this VM: tpgid is -1, rss the 24th field.
  const real = '1 (process_api) S 0 0 0 0 -1 4194560 100230 41296503 0 5806 218 1132 81357 25062 20 0 13 0 24 43294720 3194 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0';
  assert.deepEqual(parsePidStat(real), { pid: 1, name: 'process_api', cpuTicks: 1350, startTicks: 24, rssPages: 3194 });
  assert.equal(parsePidStat('12 (cut short) S 1 2'), null);
  assert.equal(parsePidStat(''), null);
});
