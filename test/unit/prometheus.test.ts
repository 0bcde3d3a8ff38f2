import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeLabelValue, formatPrometheus, formatValue, type PrometheusInput } from '../../main/server/prometheus';
import type { MetricsData } from '../../protocol/events';
import { metricsSample } from '../fixtures/metrics-sample';
import { promtoolCheck, promtoolMissing } from '../helpers/promtool';

function input(sample: MetricsData | null, path = '/var/log/a "b"\\c\nd.log'): PrometheusInput {
  return {
    version: '0.1.0',
    sample,
    sources: [{ id: 'Ab_1', path, name: 'x', state: 'live', size: 5, lines: 10, bytes: 100, errors: 2, linesPerSec: 0, errorsPerSec: 0 }],
    transport: { clientsConnected: 1, clientsTotal: 3, eventsSent: 40, bytesSent: 5000, linesDropped: 7, clientsDisconnectedSlow: 0 },
    process: { cpuSeconds: 0.25, residentMemoryBytes: 50_000_000, startTimeSeconds: 1_699_999_000.125 },
  };
}

function smallSample(): MetricsData {
  const s = metricsSample(1_700_000_000_500, 12.5);
  s.cpu = { total: 12.5, cores: [25, 0], user: 10, system: 2.5, iowait: 0, steal: 0 };
  s.mem = { total: 8589934592, used: 2147483648, available: 6442450944, cached: 1073741824, swapTotal: 1024, swapUsed: 0 };
  s.load = [0.5, 0.25, 0];
  s.net = [{ name: 'eth0', rxBytesPerSec: 1024, txBytesPerSec: 2048.5 }];
  s.disk = [{ name: 'nvme0n1', readBytesPerSec: 4096, writeBytesPerSec: 0 }];
  s.fs = [{ mount: '/', device: '/dev/nvme0n1p2', type: 'ext4', size: 1000, used: 250, usedPercent: 25 }];
  s.uptime = 3600.5;
  s.self = { cpu: 1.5, rss: 1, eventLoopLagMs: 2.5, openFds: 42, clients: 1, eventsSent: 0, eventsDropped: 0, bytesSent: 0 };
  return s;
}

const metricNames = (text: string) => [...new Set(text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => /^[a-z_0-9]+/.exec(l)![0]))];

test('label values escape backslash, double quote and line feed, and nothing else', () => {
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  assert.equal(escapeLabelValue('tab\there \r ü {x="y"}'), 'tab⟨U+0009⟩here ⟨U+000D⟩ ü {x=\\"y\\"}');
  assert.equal(escapeLabelValue('bidi\u202Etxt.exe\u202C.log'), 'bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(Infinity), '+Inf');
  assert.equal(formatValue(-Infinity), '-Inf');
  assert.equal(formatValue(-0.5), '-0.5');
  assert.equal(formatValue(2 ** 40), '1099511627776');
});

test('the exposition of a small sample, exactly', () => {
  assert.equal(formatPrometheus(input(smallSample())), String.raw`# HELP tailwatch_build_info tailwatch's version (the value is always 1).
# TYPE tailwatch_build_info gauge
tailwatch_build_info{version="0.1.0"} 1
# HELP tailwatch_lines_ingested_total Lines read from each log source in this run.
# TYPE tailwatch_lines_ingested_total counter
tailwatch_lines_ingested_total{source="Ab_1",path="/var/log/a \"b\"\\c\nd.log"} 10
# HELP tailwatch_bytes_ingested_total Bytes read from each log source in this run.
# TYPE tailwatch_bytes_ingested_total counter
tailwatch_bytes_ingested_total{source="Ab_1",path="/var/log/a \"b\"\\c\nd.log"} 100
# HELP tailwatch_log_errors_total Lines of level error or fatal read from each log source in this run.
# TYPE tailwatch_log_errors_total counter
tailwatch_log_errors_total{source="Ab_1",path="/var/log/a \"b\"\\c\nd.log"} 2
# HELP tailwatch_clients_connected Open SSE and WebSocket streams.
# TYPE tailwatch_clients_connected gauge
tailwatch_clients_connected 1
# HELP tailwatch_client_connections_total SSE and WebSocket streams opened.
# TYPE tailwatch_client_connections_total counter
tailwatch_client_connections_total 3
# HELP tailwatch_clients_disconnected_slow_total Clients closed because their socket took no data for too long.
# TYPE tailwatch_clients_disconnected_slow_total counter
tailwatch_clients_disconnected_slow_total 0
# HELP tailwatch_events_sent_total Events sent to clients on every transport.
# TYPE tailwatch_events_sent_total counter
tailwatch_events_sent_total 40
# HELP tailwatch_bytes_sent_total Bytes of events sent to clients.
# TYPE tailwatch_bytes_sent_total counter
tailwatch_bytes_sent_total 5000
# HELP tailwatch_lines_dropped_total Log lines left out for clients that fell too far behind (each told by a gap event).
# TYPE tailwatch_lines_dropped_total counter
tailwatch_lines_dropped_total 7
# HELP process_cpu_seconds_total User and system CPU time of the tailwatch process.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 0.25
# HELP process_resident_memory_bytes Resident memory of the tailwatch process.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 50000000
# HELP process_start_time_seconds When the tailwatch process started, since the Unix epoch.
# TYPE process_start_time_seconds gauge
process_start_time_seconds 1699999000.125
# HELP process_open_fds Open file descriptors of the tailwatch process.
# TYPE process_open_fds gauge
process_open_fds 42
# HELP nodejs_eventloop_lag_seconds Event-loop lag of the tailwatch process.
# TYPE nodejs_eventloop_lag_seconds gauge
nodejs_eventloop_lag_seconds 0.0025
# HELP tailwatch_sample_timestamp_seconds When the system sample was taken, since the Unix epoch.
# TYPE tailwatch_sample_timestamp_seconds gauge
tailwatch_sample_timestamp_seconds 1700000000.5
# HELP system_cpu_busy_ratio Share of all CPU time spent busy since the previous sample.
# TYPE system_cpu_busy_ratio gauge
system_cpu_busy_ratio 0.125
# HELP system_cpu_mode_ratio Share of all CPU time spent in each mode since the previous sample.
# TYPE system_cpu_mode_ratio gauge
system_cpu_mode_ratio{mode="user"} 0.1
system_cpu_mode_ratio{mode="system"} 0.025
system_cpu_mode_ratio{mode="iowait"} 0
system_cpu_mode_ratio{mode="steal"} 0
# HELP system_cpu_core_busy_ratio Share of each core's time spent busy since the previous sample.
# TYPE system_cpu_core_busy_ratio gauge
system_cpu_core_busy_ratio{core="0"} 0.25
system_cpu_core_busy_ratio{core="1"} 0
# HELP system_load1 Load average over 1 minute.
# TYPE system_load1 gauge
system_load1 0.5
# HELP system_load5 Load average over 5 minutes.
# TYPE system_load5 gauge
system_load5 0.25
# HELP system_load15 Load average over 15 minutes.
# TYPE system_load15 gauge
system_load15 0
# HELP system_memory_total_bytes Physical memory.
# TYPE system_memory_total_bytes gauge
system_memory_total_bytes 8589934592
# HELP system_memory_used_bytes Physical memory in use (total minus available).
# TYPE system_memory_used_bytes gauge
system_memory_used_bytes 2147483648
# HELP system_memory_available_bytes Physical memory available to new work without swapping.
# TYPE system_memory_available_bytes gauge
system_memory_available_bytes 6442450944
# HELP system_memory_cached_bytes Physical memory holding the page cache.
# TYPE system_memory_cached_bytes gauge
system_memory_cached_bytes 1073741824
# HELP system_swap_total_bytes Swap space.
# TYPE system_swap_total_bytes gauge
system_swap_total_bytes 1024
# HELP system_swap_used_bytes Swap space in use.
# TYPE system_swap_used_bytes gauge
system_swap_used_bytes 0
# HELP system_network_receive_bytes_per_second Bytes received per second on each interface since the previous sample.
# TYPE system_network_receive_bytes_per_second gauge
system_network_receive_bytes_per_second{interface="eth0"} 1024
# HELP system_network_transmit_bytes_per_second Bytes sent per second on each interface since the previous sample.
# TYPE system_network_transmit_bytes_per_second gauge
system_network_transmit_bytes_per_second{interface="eth0"} 2048.5
# HELP system_disk_read_bytes_per_second Bytes read per second from each block device since the previous sample.
# TYPE system_disk_read_bytes_per_second gauge
system_disk_read_bytes_per_second{device="nvme0n1"} 4096
# HELP system_disk_written_bytes_per_second Bytes written per second to each block device since the previous sample.
# TYPE system_disk_written_bytes_per_second gauge
system_disk_written_bytes_per_second{device="nvme0n1"} 0
# HELP system_filesystem_size_bytes Size of each mounted file system.
# TYPE system_filesystem_size_bytes gauge
system_filesystem_size_bytes{mountpoint="/",device="/dev/nvme0n1p2",fstype="ext4"} 1000
# HELP system_filesystem_used_bytes Space in use on each mounted file system.
# TYPE system_filesystem_used_bytes gauge
system_filesystem_used_bytes{mountpoint="/",device="/dev/nvme0n1p2",fstype="ext4"} 250
# HELP system_filesystem_used_ratio Share of each file system in use, as df shows it (space reserved for root not counted as free).
# TYPE system_filesystem_used_ratio gauge
system_filesystem_used_ratio{mountpoint="/",device="/dev/nvme0n1p2",fstype="ext4"} 0.25
# HELP system_uptime_seconds Time since the machine booted.
# TYPE system_uptime_seconds gauge
system_uptime_seconds 3600.5
`);
});

test('before the first sample: the counters only', () => {
  const text = formatPrometheus(input(null));
  assert.deepEqual(metricNames(text), [
    'tailwatch_build_info',
    'tailwatch_lines_ingested_total',
    'tailwatch_bytes_ingested_total',
    'tailwatch_log_errors_total',
    'tailwatch_clients_connected',
    'tailwatch_client_connections_total',
    'tailwatch_clients_disconnected_slow_total',
    'tailwatch_events_sent_total',
    'tailwatch_bytes_sent_total',
    'tailwatch_lines_dropped_total',
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'process_start_time_seconds',
  ]);
});

test('a family with no samples is left out, an unknown value too, and a repeated label set is written once', () => {
  const s = smallSample();
  s.net = [];
  s.self.openFds = null;
  s.load = [];
  s.fs = [s.fs[0]!, { ...s.fs[0]!, used: 999 }];
  const text = formatPrometheus({ ...input(s), sources: [] });
  for (const gone of ['system_network_', 'process_open_fds', 'system_load', 'tailwatch_lines_ingested_total']) {
    assert.ok(!text.includes(gone), gone);
  }
  assert.equal(text.match(/^system_filesystem_used_bytes\{/gm)?.length, 1);
  assert.match(text, /^system_filesystem_used_bytes\{mountpoint="\/",device="\/dev\/nvme0n1p2",fstype="ext4"\} 250$/m);
});

test('promtool check metrics passes a full exposition with awkward label values', { skip: promtoolMissing() }, async () => {
  const s = smallSample();
  s.cpu.cores = Array.from({ length: 64 }, (_, i) => i);
  s.net.push({ name: 'br-1.100', rxBytesPerSec: 1e12, txBytesPerSec: 0.000001 });
  s.fs.push({ mount: '/mnt/with space/"quoted"\\back\nline', device: 'server:/export', type: 'nfs4', size: 2 ** 50, used: 0, usedPercent: 0 });
  const text = formatPrometheus(input(s, '/var/log/ünïcode "x"\\y\nz {a="b"} #.log'));
  const { code, output } = await promtoolCheck(text);
  assert.equal(output, '', 'no lint problem');
  assert.equal(code, 0);
});
