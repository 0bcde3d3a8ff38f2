// The agent's connection to Redis: user and password from the URL (an ACL user), TLS for `rediss://` with an
// optional CA file. A first connection that fails (refused, wrong password, bad certificate) is an error for
// the caller; once connected, the client reconnects by itself with a capped backoff, and commands sent while
// it is away fail at once (no offline queue): the publisher holds what it must send, bounded, not the client.
import { readFile } from 'node:fs/promises';
import { createClient } from '@redis/client';
import { withoutPassword } from './redis-url';

/** Reconnect attempts wait 100 ms more each time, up to this. */
const MAX_RECONNECT_DELAY_MS = 2000;
const CONNECT_TIMEOUT_MS = 5000;

export type AgentRedisClient = ReturnType<typeof makeClient>;

function makeClient(url: string, tls: boolean, ca: Buffer | undefined, connected: () => boolean) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Until the first connection the cause ends it (reported by connect()); after, retry for as long as it takes.
      reconnectStrategy: (retries: number, cause: Error) => (connected() ? Math.min(100 * (retries + 1), MAX_RECONNECT_DELAY_MS) : cause),
      ...(tls ? { tls: true as const, ...(ca ? { ca } : {}) } : {}),
    },
  });
}

/** Thrown when the first connection fails: the message names the URL without its password. */
export class RedisConnectError extends Error {
  readonly code = 'ERR_TAILWATCH_REDIS_CONNECT';
}

export interface RedisConnectOptions {
  url: string;
  /** A PEM file of the CA that signed the server's certificate (`rediss://`). */
  caFile?: string;
  /** Errors after the first connection (Redis gone, back): reported (one line, no password), not thrown. */
  onError(error: Error): void;
}

export async function connectRedis(options: RedisConnectOptions): Promise<AgentRedisClient> {
  const shown = withoutPassword(options.url);
  const tls = new URL(options.url).protocol === 'rediss:';
  let ca: Buffer | undefined;
  if (options.caFile) {
    try {
      ca = await readFile(options.caFile);
    } catch (err) {
      throw new RedisConnectError(`cannot read --redis-ca ${options.caFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  let connected = false;
  const client = makeClient(options.url, tls, ca, () => connected);
  let firstError: Error | null = null;
  client.on('error', (error: Error) => {
    if (connected) options.onError(new Error(withoutSecret(oneLine(error.message), options.url)));
    else firstError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.destroy();
    const cause = firstError ?? (err as Error);
    throw new RedisConnectError(`cannot publish to ${shown}: ${withoutSecret(oneLine(cause.message), options.url)}`);
  }
  connected = true;
  return client;
}

/** A message as it may be shown: should a library ever quote the password, it is masked. */
function withoutSecret(message: string, url: string): string {
  const password = decodeURIComponent(new URL(url).password);
  return password.length === 0 ? message : message.split(password).join('***');
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
