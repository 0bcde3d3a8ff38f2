// What one listener's routes and transports are told: the policy (backfill, gzip, stall time, streams per
// address) and the timings, each with its default. Checked once, when a listener opens, as `ws` does.

export type GzipMode = 'auto' | 'on' | 'off';

export interface ServerOptions {
  /** Lines per source a new client gets when it asks for no number. */
  backfill: number;
  /** SSE gzip: `auto` compresses for remote clients only. */
  gzip: GzipMode;
  /** A client whose socket takes nothing for this long is reset. */
  clientStallMs: number;
  /** Open streams (SSE, WebSocket, waiting long-polls) one client address may hold. */
  maxClientsPerAddress: number;
  /** A WebSocket peer is pinged this often; one that did not answer the last ping is dead. */
  pingIntervalMs: number;
  /** An SSE stream gets a comment line this often (the contract: at least every 15 s). */
  heartbeatMs: number;
  /** What EventSource waits before it reconnects (the `retry:` field). */
  retryMs: number;
  /** How often stalled clients and dead peers are looked for. */
  sweepIntervalMs: number;
}

export const SERVER_DEFAULTS: Readonly<ServerOptions> = Object.freeze({
  backfill: 1000,
  gzip: 'auto',
  clientStallMs: 30_000,
  maxClientsPerAddress: 64,
  pingIntervalMs: 30_000,
  heartbeatMs: 15_000,
  retryMs: 2000,
  sweepIntervalMs: 1000,
});

/** The defaults with `given` over them, checked: a RangeError names the option and the value. */
export function serverOptions(given: Partial<ServerOptions> = {}): ServerOptions {
  const options: ServerOptions = { ...SERVER_DEFAULTS, ...withoutUndefined(given) };
  const whole = (key: keyof ServerOptions, min: number) => {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw new RangeError(`server option ${key} must be a whole number of at least ${min}, got ${String(value)}`);
    }
  };
  whole('backfill', 0);
  whole('clientStallMs', 1);
  whole('maxClientsPerAddress', 1);
  whole('pingIntervalMs', 1);
  whole('heartbeatMs', 1);
  whole('retryMs', 0);
  whole('sweepIntervalMs', 1);
  if (!['auto', 'on', 'off'].includes(options.gzip)) throw new RangeError(`server option gzip must be auto, on or off, got ${String(options.gzip)}`);
  return options;
}

function withoutUndefined<T extends object>(given: T): Partial<T> {
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<T>;
}
