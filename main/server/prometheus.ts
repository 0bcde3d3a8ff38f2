// The text of GET /metrics, in the Prometheus exposition format 0.0.4: tailwatch's own counters always,
// and the newest system sample as gauges once there is one. Pure: the route gathers the input.
// Names follow https://prometheus.io/docs/practices/naming/: base units, ratios 0–1, `_total` counters.
import type { MetricsData, SourceInfo } from '../../protocol/events';
import { INVISIBLE_IN_NAMES, codePointMark } from '../../protocol/visible-text';
import type { TransportStats } from './client-stream';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface PrometheusInput {
  version: string;
  /** The newest system sample; null before the first one (then only the counters are written). */
  sample: MetricsData | null;
  sources: readonly SourceInfo[];
  transport: Readonly<TransportStats>;
  /** tailwatch's own process, read at scrape time. */
  process: { cpuSeconds: number; residentMemoryBytes: number; startTimeSeconds: number };
}

type Labels = Readonly<Record<string, string>>;
/** One sample line; a null value is left out (the platform does not tell). */
type Row = readonly [labels: Labels | null, value: number | null];

/**
 * A label value as the format wants it (backslash, double quote and line feed escaped), with the other
 * control and invisible characters of file names written as `⟨U+XXXX⟩`: a raw CR or tab is valid in the
 * format but breaks scrapers and terminals that show it.
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)).replace(INVISIBLE_IN_NAMES, codePointMark);
}

/** HELP text escapes only backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(labels: Labels | null): string {
  if (!labels) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

class Exposition {
  text = '';

  /** A metric family: HELP, TYPE, then its samples; nothing at all when it has none. */
  family(name: string, type: 'gauge' | 'counter', help: string, rows: readonly Row[]): void {
    let body = '';
    // One line per label set: a sampler listing a name twice must not make the whole scrape invalid.
    const seen = new Set<string>();
    for (const [labels, value] of rows) {
      if (value === null || typeof value !== 'number') continue;
      const l = labelText(labels);
      if (seen.has(l)) continue;
      seen.add(l);
      body += `${name}${l} ${formatValue(value)}\n`;
    }
    if (body !== '') this.text += `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n${body}`;
  }

  gauge(name: string, help: string, value: number | null): void {
    this.family(name, 'gauge', help, [[null, value]]);
  }

  counter(name: string, help: string, value: number): void {
    this.family(name, 'counter', help, [[null, value]]);
  }
}

const ratio = (percent: number) => percent / 100;

export function formatPrometheus(input: PrometheusInput): string {
  const out = new Exposition();
  const t = input.transport;
  out.family('tailwatch_build_info', 'gauge', "tailwatch's version (the value is always 1).", [[{ version: input.version }, 1]]);
  const perSource = (value: (s: SourceInfo) => number): Row[] =>
    input.sources.map((s) => [{ source: s.id, path: s.path }, value(s)] as const);
  out.family('tailwatch_lines_ingested_total', 'counter', 'Lines read from each log source in this run.', perSource((s) => s.lines));
  out.family('tailwatch_bytes_ingested_total', 'counter', 'Bytes read from each log source in this run.', perSource((s) => s.bytes));
  out.family('tailwatch_log_errors_total', 'counter', 'Lines of level error or fatal read from each log source in this run.', perSource((s) => s.errors));
  out.gauge('tailwatch_clients_connected', 'Open SSE and WebSocket streams.', t.clientsConnected);
  out.counter('tailwatch_client_connections_total', 'SSE and WebSocket streams opened.', t.clientsTotal);
  out.counter('tailwatch_clients_disconnected_slow_total', 'Clients closed because their socket took no data for too long.', t.clientsDisconnectedSlow);
  out.counter('tailwatch_events_sent_total', 'Events sent to clients on every transport.', t.eventsSent);
  out.counter('tailwatch_bytes_sent_total', 'Bytes of events sent to clients.', t.bytesSent);
  out.counter('tailwatch_lines_dropped_total', 'Log lines left out for clients that fell too far behind (each told by a gap event).', t.linesDropped);

  const p = input.process;
  out.counter('process_cpu_seconds_total', 'User and system CPU time of the tailwatch process.', p.cpuSeconds);
  out.gauge('process_resident_memory_bytes', 'Resident memory of the tailwatch process.', p.residentMemoryBytes);
  out.gauge('process_start_time_seconds', 'When the tailwatch process started, since the Unix epoch.', p.startTimeSeconds);

  const s = input.sample;
  if (!s) return out.text;
  out.gauge('process_open_fds', 'Open file descriptors of the tailwatch process.', s.self.openFds);
  out.gauge('nodejs_eventloop_lag_seconds', 'Event-loop lag of the tailwatch process.', s.self.eventLoopLagMs / 1000);
  out.gauge('tailwatch_sample_timestamp_seconds', 'When the system sample was taken, since the Unix epoch.', s.ts / 1000);

  out.gauge('system_cpu_busy_ratio', 'Share of all CPU time spent busy since the previous sample.', ratio(s.cpu.total));
  out.family('system_cpu_mode_ratio', 'gauge', 'Share of all CPU time spent in each mode since the previous sample.', [
    [{ mode: 'user' }, ratio(s.cpu.user)],
    [{ mode: 'system' }, ratio(s.cpu.system)],
    [{ mode: 'iowait' }, ratio(s.cpu.iowait)],
    [{ mode: 'steal' }, ratio(s.cpu.steal)],
  ]);
  out.family(
    'system_cpu_core_busy_ratio',
    'gauge',
    "Share of each core's time spent busy since the previous sample.",
    s.cpu.cores.map((c, i) => [{ core: String(i) }, ratio(c)] as const),
  );
  for (const [i, period] of ['1', '5', '15'].entries()) {
    out.gauge(`system_load${period}`, `Load average over ${period} minute${period === '1' ? '' : 's'}.`, s.load[i] ?? null);
  }
  out.gauge('system_memory_total_bytes', 'Physical memory.', s.mem.total);
  out.gauge('system_memory_used_bytes', 'Physical memory in use (total minus available).', s.mem.used);
  out.gauge('system_memory_available_bytes', 'Physical memory available to new work without swapping.', s.mem.available);
  out.gauge('system_memory_cached_bytes', 'Physical memory holding the page cache.', s.mem.cached);
  out.gauge('system_swap_total_bytes', 'Swap space.', s.mem.swapTotal);
  out.gauge('system_swap_used_bytes', 'Swap space in use.', s.mem.swapUsed);

  const iface = (n: { name: string }) => ({ interface: n.name });
  out.family('system_network_receive_bytes_per_second', 'gauge', 'Bytes received per second on each interface since the previous sample.', s.net.map((n) => [iface(n), n.rxBytesPerSec] as const));
  out.family('system_network_transmit_bytes_per_second', 'gauge', 'Bytes sent per second on each interface since the previous sample.', s.net.map((n) => [iface(n), n.txBytesPerSec] as const));
  const device = (d: { name: string }) => ({ device: d.name });
  out.family('system_disk_read_bytes_per_second', 'gauge', 'Bytes read per second from each block device since the previous sample.', s.disk.map((d) => [device(d), d.readBytesPerSec] as const));
  out.family('system_disk_written_bytes_per_second', 'gauge', 'Bytes written per second to each block device since the previous sample.', s.disk.map((d) => [device(d), d.writeBytesPerSec] as const));
  const mount = (f: MetricsData['fs'][number]) => ({ mountpoint: f.mount, device: f.device, fstype: f.type });
  out.family('system_filesystem_size_bytes', 'gauge', 'Size of each mounted file system.', s.fs.map((f) => [mount(f), f.size] as const));
  out.family('system_filesystem_used_bytes', 'gauge', 'Space in use on each mounted file system.', s.fs.map((f) => [mount(f), f.used] as const));
  out.family(
    'system_filesystem_used_ratio',
    'gauge',
    'Share of each file system in use, as df shows it (space reserved for root not counted as free).',
    s.fs.map((f) => [mount(f), ratio(f.usedPercent)] as const),
  );
  out.gauge('system_uptime_seconds', 'Time since the machine booted.', s.uptime);
  return out.text;
}
