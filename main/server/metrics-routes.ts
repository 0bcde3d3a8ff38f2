// The metrics routes: the query of GET /api/metrics/history, and GET /metrics for Prometheus. The
// token, Host and Origin are checked before either runs (http-server.ts).
import type { ServerResponse } from 'node:http';
import { HISTORY_LIMITS, type HistoryStep } from '../../protocol/metrics-history';
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from './prometheus';
import type { ServerContext } from './server-context';

/** A malformed history query: answered with 400 and `{ error, code }`. */
export class MetricsQueryError extends Error {
  constructor(
    readonly code: 'bad-seconds' | 'bad-step',
    message: string,
  ) {
    super(message);
  }
}

export interface HistoryQuery {
  seconds: number;
  step: HistoryStep;
}

/** `?seconds=N&step=1|60`: seconds default 3600, at most 3600 for step 1 and 86,400 for step 60. */
export function parseHistoryQuery(url: URL): HistoryQuery {
  const rawStep = url.searchParams.get('step');
  if (rawStep !== null && rawStep !== '1' && rawStep !== '60') {
    throw new MetricsQueryError('bad-step', `step must be 1 or 60, got ${JSON.stringify(rawStep.slice(0, 40))}`);
  }
  const step: HistoryStep = rawStep === '60' ? 60 : 1;
  const max = HISTORY_LIMITS.maxSeconds[step];
  const rawSeconds = url.searchParams.get('seconds');
  if (rawSeconds === null) return { seconds: Math.min(HISTORY_LIMITS.defaultSeconds, max), step };
  const seconds = /^\d{1,9}$/.test(rawSeconds) ? Number(rawSeconds) : NaN;
  if (!(seconds >= 1 && seconds <= max)) {
    throw new MetricsQueryError(
      'bad-seconds',
      `seconds must be a whole number from 1 to ${max} with step ${step}${step === 1 ? ' (up to 86400 with step=60)' : ''}, got ${JSON.stringify(rawSeconds.slice(0, 40))}`,
    );
  }
  return { seconds, step };
}

/** Process start, since the Unix epoch, for process_start_time_seconds. */
const PROCESS_START_S = Math.round(performance.timeOrigin) / 1000;

export function sendPrometheus(res: ServerResponse, ctx: ServerContext): void {
  const cpu = process.cpuUsage();
  const text = formatPrometheus({
    version: ctx.version,
    sample: ctx.metrics.latest(),
    sources: ctx.sources(),
    transport: ctx.stats,
    process: {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      residentMemoryBytes: process.memoryUsage.rss(),
      startTimeSeconds: PROCESS_START_S,
    },
  });
  res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Cache-Control': 'no-store' });
  res.end(text);
}
