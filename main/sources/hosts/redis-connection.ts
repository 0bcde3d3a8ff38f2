// Connecting to Redis for the host streams: the URL (user, password, `rediss://` TLS) with an optional CA file,
// a start that fails at once and says why (never with the password), and reconnects by node-redis afterwards.
import { readFileSync } from 'node:fs';
import { createClient, type RedisClientType } from '@redis/client';

export type RedisClient = RedisClientType;

/** A start that failed (Redis unreachable, a wrong password, a bad URL or CA file): the message says which. */
export class RedisStartError extends Error {
  readonly code = 'ERR_TAILWATCH_REDIS';
}

/** Reconnect delays after the start: 100 ms doubling to 2 s, for ever (the hosts show disconnected meanwhile). */
export const RECONNECT_MAX_MS = 2000;

/** The URL as it may be shown: without its password. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}

export interface RedisConnectOptions {
  url: string;
  /** A PEM file of the CA that signed the server's certificate (rediss://). */
  ca?: string;
  /** Called on every connection error after the start (the socket dropped, Redis went away). */
  onError(error: Error): void;
}

/** Connects, or throws RedisStartError naming the URL without its password. */
export async function connectRedis(options: RedisConnectOptions): Promise<RedisClient> {
  const shown = redactRedisUrl(options.url);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new RedisStartError(`--redis ${shown}: not a URL (redis://[USER:PASSWORD@]HOST:PORT or rediss://…)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisStartError(`--redis ${shown}: the URL must begin with redis:// or rediss://`);
  }
  let ca: Buffer | undefined;
  if (options.ca !== undefined) {
    try {
      ca = readFileSync(options.ca);
    } catch (err) {
      throw new RedisStartError(`--redis-ca: cannot read ${options.ca}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  let started = false;
  const socket = {
    // Before the start, one try: a wrong address or password is said at once, not retried for ever.
    reconnectStrategy: (retries: number) => (started ? Math.min(100 * 2 ** retries, RECONNECT_MAX_MS) : false),
    connectTimeout: 5000,
    ...(url.protocol === 'rediss:' ? { tls: true as const, ...(ca ? { ca } : {}) } : {}),
  };
  const client = createClient({ url: options.url, socket }) as RedisClient;
  let firstError: Error | null = null;
  client.on('error', (error: Error) => {
    if (started) options.onError(error);
    else firstError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.destroy();
    const reason = oneLine((firstError ?? (err as Error)).message);
    throw new RedisStartError(`--redis ${shown}: cannot connect: ${reason}`);
  }
  started = true;
  return client;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
