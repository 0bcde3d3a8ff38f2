// The one way tailwatch connects to Redis, for the agent and for `serve --redis`: user and password from the URL
// (an ACL user), TLS for `rediss://` with an optional CA file. A first connection that fails (refused, wrong
// password, bad certificate) is a RedisStartError at once, never retried; once connected, the client reconnects
// by itself, 100 ms doubling to 2 s, for as long as it takes. No message ever shows the password.
import { readFile } from 'node:fs/promises';
import type { RedisClientType } from '@redis/client';
import { redisErrorText, redisUrlMistake, withoutPassword, withoutSecret } from './redis-url';

export type RedisClient = RedisClientType;

/**
 * The Redis client library, loaded when first wanted: a server without --redis (and the desktop app) never loads
 * it, which spares its start ~0.1 s and its heap several MB (a smaller heap is also a shorter full collection).
 */
let library: Promise<typeof import('@redis/client')> | null = null;
const redisLibrary = (): Promise<typeof import('@redis/client')> => (library ??= import('@redis/client'));

/**
 * What a failed command's error says: `refused`, Redis answered no (an ACL, a full memory: the command was not
 * applied); `refused-in-multi`, a MULTI of which some commands were refused (the others may have been applied);
 * null, anything else (the connection lost, the reply with it: it may have been applied).
 */
export async function refusalOf(err: unknown): Promise<'refused' | 'refused-in-multi' | null> {
  const { ErrorReply, MultiErrorReply } = await redisLibrary();
  if (err instanceof MultiErrorReply) return 'refused-in-multi';
  return err instanceof ErrorReply ? 'refused' : null;
}

/** Reconnect delays after the first connection: 100 ms doubling to this. */
export const RECONNECT_MAX_MS = 2000;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * A start that failed against Redis (a bad URL, an unreadable CA file, Redis unreachable or refusing us, a first
 * read refused): one line, `--redis URL-without-password: cannot connect: REASON` or `--redis-ca: cannot read FILE: CODE`.
 */
export class RedisStartError extends Error {
  readonly code = 'ERR_TAILWATCH_REDIS';
}

export interface RedisConnectOptions {
  url: string;
  /** A PEM file of the CA that signed the server's certificate (`rediss://`). */
  caFile?: string;
  /**
   * Commands sent while Redis is away fail at once instead of waiting in the client (default: they wait). The
   * agent turns the queue off: what it must send is held by its publisher, bounded, not by the client.
   */
  offlineQueue?: boolean;
  /** Errors after the first connection (Redis gone, back): reported as one line without the password, not thrown. */
  onError(error: Error): void;
}

/** Connects and pings, or throws RedisStartError. */
export async function connectRedis(options: RedisConnectOptions): Promise<RedisClient> {
  const shown = withoutPassword(options.url);
  const mistake = redisUrlMistake(options.url);
  if (mistake !== null) throw new RedisStartError(`--redis: the URL ${mistake}`);
  let ca: Buffer | undefined;
  if (options.caFile !== undefined) {
    try {
      ca = await readFile(options.caFile);
    } catch (err) {
      throw new RedisStartError(`--redis-ca: cannot read ${options.caFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  let connected = false;
  const { createClient } = await redisLibrary();
  const client = createClient({
    url: options.url,
    disableOfflineQueue: options.offlineQueue === false,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Before the first connection, one try: a wrong address or password is said at once, not retried for ever.
      reconnectStrategy: (retries: number) => (connected ? Math.min(100 * 2 ** retries, RECONNECT_MAX_MS) : false),
      ...(new URL(options.url).protocol === 'rediss:' ? { tls: true as const, ...(ca ? { ca } : {}) } : {}),
    },
  }) as RedisClient;
  let firstError: Error | null = null;
  client.on('error', (error: Error) => {
    if (connected) options.onError(new Error(withoutSecret(error.message, options.url)));
    else firstError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.destroy();
    throw new RedisStartError(`--redis ${shown}: cannot connect: ${redisErrorText(firstError ?? err, options.url)}`);
  }
  connected = true;
  return client;
}
