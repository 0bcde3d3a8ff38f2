// `tailwatch agent`: the same log sources and metrics sampler as `serve`, no hub and no listener; what they
// give goes to the host's Redis streams (main/hosts/agent/host-publisher.ts). Its stored positions are read
// first, so every source goes on where the last run stopped (docs/many-hosts.md).
import type { SourcePosition } from '../../protocol/host-streams';
import type { SourceInfo } from '../../protocol/events';
import { hostKeys } from '../../protocol/host-streams';
import { visibleName } from '../../protocol/visible-text';
import { ConfigError, makeConfig, type TailwatchConfig } from './options';
import { LogSources } from '../sources/logs/log-sources';
import { MetricsSource } from '../sources/metrics/metrics-source';
import { newTransportStats } from '../server/client-stream';
import { connectRedis, RedisStartError, type RedisClient } from '../hosts/redis/redis-connection';
import { HostPublisher, type PublisherStats } from '../hosts/agent/host-publisher';
import { parsePosition, resumeFrom } from '../hosts/agent/positions';
import { redisErrorText, withoutPassword } from '../hosts/redis/redis-url';
import type { Logger, TailwatchTimings } from './start-tailwatch';

/** How long a stop waits for held lines to be published. */
const CLOSE_FLUSH_MS = 1000;

/** A day of 1 s samples. */
export const METRICS_MAX_ENTRIES = 86_400;

export interface AgentStartOptions {
  logger?: Logger;
  timings?: Pick<TailwatchTimings, 'logs' | 'metrics'>;
  /** Bytes of lines held while Redis is away (default PUBLISH_LIMITS.heldBytes). */
  heldBytes?: number;
}

export interface RunningAgent {
  readonly config: TailwatchConfig;
  /** The Redis URL without its password. */
  readonly publishingTo: string;
  readonly host: string;
  sources(): SourceInfo[];
  roots(): { dirs: string[]; files: string[] };
  readonly stats: PublisherStats;
  /** Resolves once everything read so far is in Redis. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startAgent(input: TailwatchConfig | Partial<TailwatchConfig>, options: AgentStartOptions = {}): Promise<RunningAgent> {
  const config = makeConfig(input);
  if (!config.redis) throw new ConfigError('agent: --redis URL is required');
  if (!config.hostName) throw new ConfigError('agent: --host-name NAME is required');
  const host = config.hostName;
  const logger = options.logger ?? { warn: (m: string) => process.stderr.write(`tailwatch: warning: ${visibleName(m)}\n`) };
  const publishingTo = withoutPassword(config.redis);
  let warnedAway = false;
  const client: RedisClient = await connectRedis({
    url: config.redis,
    ...(config.redisCa ? { caFile: config.redisCa } : {}),
    offlineQueue: false,
    onError: (error) => {
      // Said once per outage: the client retries every 2 s at most, and says so each time.
      if (warnedAway) return;
      warnedAway = true;
      logger.warn(`lost Redis at ${publishingTo} (${error.message}); following the files, publishing again once it is back`);
    },
  });
  client.on('ready', () => {
    if (warnedAway) logger.warn(`Redis at ${publishingTo} is back; publishing what was written meanwhile`);
    warnedAway = false;
  });

  const keys = hostKeys(host);
  const positions = new Map<string, SourcePosition>();
  try {
    for (const [id, text] of Object.entries(await client.hGetAll(keys.positions))) {
      const position = parsePosition(text);
      if (position) positions.set(id, position);
    }
  } catch (err) {
    client.destroy();
    throw new RedisStartError(`--redis ${publishingTo}: cannot read ${keys.positions}: ${redisErrorText(err, config.redis)}`);
  }

  let logSources: LogSources | null = null;
  const publisher = new HostPublisher({
    client,
    host,
    logsMaxEntries: config.redisMaxEntries,
    metricsMaxEntries: METRICS_MAX_ENTRIES,
    ...(options.heldBytes === undefined ? {} : { heldBytes: options.heldBytes }),
    readLines: (query) => logSources!.lines(query),
    warn: (message) => logger.warn(message),
  });
  const timings = options.timings ?? {};
  logSources = new LogSources(
    {
      ...config,
      hostName: host,
      resumeAt: (id) => {
        // Once: a source dropped and followed again in this run goes on from its seq in this run.
        const position = positions.get(id);
        positions.delete(id);
        return position && resumeFrom(position);
      },
      ...(timings.logs ? { timings: timings.logs } : {}),
    },
    {
      appendLines: (source, lines, _live, place) => publisher.appendLines(source, lines, place),
      sourceChanged: (op, source) => publisher.sourceChanged(op, source),
      warn: (message) => logger.warn(message),
    },
  );
  const sources = logSources;
  await sources.start();

  const metrics = new MetricsSource({
    sink: { publish: (type, data) => publisher.publishSample(type, type === 'metrics' ? { ...data, host } : data) },
    logSources: () => sources.list(),
    counters: newTransportStats(),
    // No client asks an agent for the process list: servers show it for whoever looks, so it is always sampled.
    wantsProcesses: () => true,
    warn: (message) => logger.warn(message),
    ...timings.metrics,
  });
  await metrics.start();

  let closing: Promise<void> | null = null;
  return {
    config,
    publishingTo,
    host,
    sources: () => sources.list(),
    roots: () => sources.roots(),
    stats: publisher.stats,
    idle: () => publisher.idle(),
    close: () =>
      (closing ??= (async () => {
        metrics.close();
        await sources.close();
        // A short wait for what is held; the rest stays in the files, and the positions say where to go on from.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([publisher.idle(), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_FLUSH_MS)))]);
        clearTimeout(timer);
        publisher.close();
        client.destroy();
      })()),
  };
}
