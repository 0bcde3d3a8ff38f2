// tailwatch's options: each one's default, kind, help and check, and how a partial config becomes a whole,
// checked one. Every user-facing bound of the product is a named option here; the command line and the
// config file (command-line.ts) are two ways to give them.
import { describeValue } from '../../protocol/client-messages';
import { visibleName } from '../../protocol/visible-text';
import type { LogSourcesOptions } from '../sources/logs/log-sources';
import { globMistake } from '../sources/logs/glob-syntax';
import { isHostName } from '../../protocol/host-streams';
import { redisUrlMistake } from '../hosts/redis/redis-url';
import type { GzipMode, ServerOptions } from '../server/server-options';

export type { GzipMode };

/**
 * What a user sets: the log sources' and the server's own options (documented there) as the command line
 * gives them, and what only the composition root uses. The layers' timings are not options a user sets.
 */
export interface TailwatchConfig
  extends Omit<LogSourcesOptions, 'dir' | 'file' | 'include' | 'exclude' | 'timings' | 'hostName' | 'resumeAt'>,
    Pick<ServerOptions, 'gzip' | 'clientStallMs' | 'maxClientsPerAddress'> {
  dir: string[];
  file: string[];
  include: string[];
  exclude: string[];
  host: string;
  port: number;
  /** Null until resolved: then from --token, $TAILWATCH_TOKEN, or random. */
  token: string | null;
  /** Extra Host names this server answers to (besides loopback and the bound address). */
  allowHost: string[];
  /** Extra page origins allowed to connect (e.g. the desktop shell's app:// origin). */
  allowOrigin: string[];
  /** Event ring bounds: the history clients can resume from. */
  ringEvents: number;
  ringBytes: number;
  /** How far (in bytes of events) one client may fall behind before its backlog is dropped for a `gap`. */
  clientQueueBytes: number;
  /** Many hosts: the Redis URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS); null when not set. */
  redis: string | null;
  /** A PEM file of the CA that signed the Redis server's certificate (`rediss://`); null when not set. */
  redisCa: string | null;
  /** `agent`: the name this host publishes under (tailwatch:host:<NAME>:…); null when not set. */
  hostName: string | null;
  /** `agent`: `MAXLEN ~` of the host's logs stream, in entries. */
  redisMaxEntries: number;
}

export const DEFAULTS: Readonly<TailwatchConfig> = Object.freeze({
  dir: [],
  file: [],
  include: [],
  exclude: [],
  host: '127.0.0.1',
  port: 7717,
  token: null,
  backfill: 1000,
  allowHost: [],
  allowOrigin: [],
  gzip: 'auto',
  // 100,000 events and 8 MiB: about 55,000 log lines of 100 bytes, whatever the batching. Enough for a
  // reconnect to resume exactly; what falls out of the ring is on disk, where a client fetches a gap back
  // (/api/lines). Under a burst, the server's memory grows by about the ring plus 45 MiB (docs/benchmarks.md).
  ringEvents: 100_000,
  ringBytes: 8 * 1024 * 1024,
  clientQueueBytes: 16 * 1024 * 1024,
  clientStallMs: 30_000,
  maxLineBytes: 64 * 1024,
  partialLineMs: 2000,
  maxFiles: 1000,
  depth: 8,
  poll: false,
  followSymlinks: false,
  // A browser tab holds one stream; 64 leaves room for many tabs, or many phones behind one NAT address.
  maxClientsPerAddress: 64,
  redis: null,
  redisCa: null,
  hostName: null,
  // 100,000 entries of 1 to 1,000 lines: hours of a typical host, and a burst trims only its own host's stream.
  redisMaxEntries: 100_000,
});

/** A bad option, in one line a terminal shows as it is (paths and values may hold any character). */
export class ConfigError extends Error {
  readonly code = 'ERR_TAILWATCH_CONFIG';

  constructor(message: string) {
    super(visibleName(message));
  }
}

type Kind = 'list' | 'string' | 'int' | 'bytes' | 'bool' | 'gzip';
export interface OptionSpec {
  kind: Kind;
  /** Allowed integer range, for int and bytes. */
  min?: number;
  max?: number;
  help: string;
  arg?: string;
  /** For list items and strings: what is wrong with one, as a phrase to follow it, or null when it is fine. */
  check?: (item: string) => string | null;
  /** Shown in the help of `tailwatch agent` rather than `serve`'s. */
  agent?: true;
}

/** Every option, by config key. The CLI flag is the key in kebab-case. */
export const OPTIONS: Readonly<Record<keyof TailwatchConfig, OptionSpec>> = {
  dir: { kind: 'list', arg: 'PATH', help: 'watch a directory for log files (repeatable)' },
  file: { kind: 'list', arg: 'PATH', help: 'follow one file, which may not exist yet (repeatable)' },
  include: { kind: 'list', arg: 'GLOB', check: globMistake, help: 'only files under a --dir matching this glob (repeatable)' },
  exclude: { kind: 'list', arg: 'GLOB', check: globMistake, help: 'skip files under a --dir matching this glob (repeatable)' },
  host: { kind: 'string', arg: 'ADDR', help: `address to bind (default ${DEFAULTS.host}; non-loopback needs a strong token)` },
  port: { kind: 'int', min: 0, max: 65535, arg: 'N', help: `port (default ${DEFAULTS.port}; 0 = any free port)` },
  token: { kind: 'string', arg: 'STRING', help: 'access token (else $TAILWATCH_TOKEN, else a random one)' },
  backfill: { kind: 'int', min: 0, max: 1_000_000, arg: 'N', help: `lines of history per file at start (default ${DEFAULTS.backfill})` },
  allowHost: { kind: 'list', arg: 'NAME', help: 'another Host name this server answers to (repeatable)' },
  allowOrigin: { kind: 'list', arg: 'ORIGIN', help: 'another page origin allowed to connect (repeatable)' },
  gzip: { kind: 'gzip', arg: 'auto|on|off', help: 'gzip the SSE stream (default auto: remote clients only)' },
  ringEvents: { kind: 'int', min: 100, max: 10_000_000, arg: 'N', help: `events kept for resume and backfill (default ${DEFAULTS.ringEvents})` },
  ringBytes: { kind: 'bytes', min: 1 << 20, max: 2 ** 40, arg: 'BYTES', help: 'bytes of events kept (default 8M)' },
  clientQueueBytes: { kind: 'bytes', min: 64 << 10, max: 2 ** 40, arg: 'BYTES', help: 'backlog one client may have before it gets a gap (default 16M)' },
  clientStallMs: { kind: 'int', min: 1000, max: 3_600_000, arg: 'MS', help: `disconnect a client whose socket takes nothing this long (default ${DEFAULTS.clientStallMs})` },
  maxLineBytes: { kind: 'bytes', min: 256, max: 16 << 20, arg: 'BYTES', help: 'cut lines longer than this (default 64K)' },
  partialLineMs: { kind: 'int', min: 100, max: 3_600_000, arg: 'MS', help: `show an unfinished last line after its file is quiet this long (default ${DEFAULTS.partialLineMs})` },
  maxFiles: { kind: 'int', min: 1, max: 1_000_000, arg: 'N', help: `files followed at most (default ${DEFAULTS.maxFiles})` },
  depth: { kind: 'int', min: 0, max: 64, arg: 'N', help: `directory depth under each --dir (default ${DEFAULTS.depth})` },
  poll: { kind: 'bool', help: 'poll files instead of OS events (network file systems)' },
  followSymlinks: {
    kind: 'bool',
    help: 'under a --dir, also follow symlinks that lead outside it (files and folders; loops never)',
  },
  maxClientsPerAddress: {
    kind: 'int',
    min: 1,
    max: 100_000,
    arg: 'N',
    help: `open streams one client address may hold (default ${DEFAULTS.maxClientsPerAddress})`,
  },
  redis: { kind: 'string', arg: 'URL', check: redisUrlMistake, help: 'agent: the Redis to publish to; serve: also show every host publishing there. redis://[user:password@]host:port (rediss:// for TLS)' },
  redisCa: { kind: 'string', arg: 'FILE', help: 'the CA certificate (PEM) of a rediss:// server' },
  hostName: {
    kind: 'string',
    arg: 'NAME',
    agent: true,
    check: (name) => (isHostName(name) ? null : 'is not a host name (letters, digits, ".", "_", "-", at most 63, not starting with a sign)'),
    help: 'agent: the name this host publishes under',
  },
  redisMaxEntries: {
    kind: 'int',
    min: 1000,
    max: 100_000_000,
    arg: 'N',
    agent: true,
    help: `agent: entries kept in the host's logs stream, about (default ${DEFAULTS.redisMaxEntries})`,
  },
};

/** Options whose default is null, meaning not set. */
const NULLABLE = new Set(['token', 'redis', 'redisCa', 'hostName']);

export const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

const BYTES_PATTERN = /^(\d+)\s*([kmg]i?b?|b)?$/i;
const UNIT: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function convert(key: keyof TailwatchConfig, raw: unknown, from: string): unknown {
  const spec = OPTIONS[key];
  const name = from === 'cli' ? `--${kebab(key)}` : `"${key}" in ${from}`;
  const fail = (what: string): never => {
    throw new ConfigError(`${name}: ${what}, got ${describeValue(raw)}`);
  };
  switch (spec.kind) {
    case 'list': {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((v) => typeof v === 'string' && v.length > 0)) fail('expected a non-empty string (or a list of them)');
      for (const item of list as string[]) {
        const mistake = spec.check?.(item);
        if (mistake) throw new ConfigError(`${name}: ${describeValue(item)} ${mistake}`);
      }
      return list;
    }
    case 'string': {
      if (typeof raw !== 'string' || raw.length === 0) fail('expected a non-empty string');
      const mistake = spec.check?.(raw as string);
      // The value is not repeated: a Redis URL holds a password.
      if (mistake) throw new ConfigError(`${name}: ${key === 'redis' ? 'the URL' : describeValue(raw)} ${mistake}`);
      return raw;
    }
    case 'bool':
      if (typeof raw !== 'boolean') fail('expected true or false');
      return raw;
    case 'gzip':
      if (raw !== 'auto' && raw !== 'on' && raw !== 'off') fail('expected auto, on or off');
      return raw;
    case 'int':
    case 'bytes': {
      const range = `expected ${spec.kind === 'int' ? 'a whole number' : 'a byte count'} from ${spec.min} to ${spec.max}`;
      let n: number;
      if (typeof raw === 'number') n = raw;
      // `-5` is a whole number, out of range: said so, rather than "expected a whole number".
      else if (typeof raw === 'string' && /^-\d+$/.test(raw)) return fail(range);
      else if (typeof raw === 'string' && spec.kind === 'int' && /^\d+$/.test(raw)) n = Number(raw);
      else if (typeof raw === 'string' && spec.kind === 'bytes' && BYTES_PATTERN.test(raw.trim())) {
        const m = BYTES_PATTERN.exec(raw.trim())!;
        n = Number(m[1]) * UNIT[(m[2] ?? '').charAt(0).toLowerCase()]!;
      } else return fail(spec.kind === 'bytes' ? 'expected a byte count such as 65536 or 64K' : 'expected a whole number');
      if (!Number.isSafeInteger(n) || n < spec.min! || n > spec.max!) fail(range);
      return n;
    }
  }
}

export function merge(target: TailwatchConfig, source: Record<string, unknown>, from: string): void {
  for (const [key, raw] of Object.entries(source)) {
    // null is "not set" (the token of a complete config before it is resolved).
    // null is "not set" (the token of a complete config before it is resolved, the Redis options).
    if (raw === undefined || (raw === null && NULLABLE.has(key))) continue;
    // Own keys only: `__proto__`, `constructor` and `toString` are not options.
    if (!Object.hasOwn(OPTIONS, key)) throw new ConfigError(`unknown key ${describeValue(key)} in ${from}`);
    const k = key as keyof TailwatchConfig;
    const value = convert(k, raw, from);
    // Lists add up across the config file and the command line; single values are replaced.
    (target as unknown as Record<string, unknown>)[k] =
      OPTIONS[k].kind === 'list' ? [...(target[k] as string[]), ...(value as string[])] : value;
  }
}

/** Turns any partial config (from code or tests) into a checked, complete one. */
export function makeConfig(partial: Partial<TailwatchConfig> = {}): TailwatchConfig {
  const config = structuredClone({ ...DEFAULTS }) as TailwatchConfig;
  merge(config, partial as Record<string, unknown>, 'options');
  return config;
}
