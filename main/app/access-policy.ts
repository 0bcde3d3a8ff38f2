// Who may be let in, checked before anything listens: the token (given, from the environment, or random;
// strong enough for a listener other machines reach), and the extra Host names and page origins allowed.
import { randomBytes } from 'node:crypto';
import { canonicalOrigin, hostName, isLoopbackBind } from '../server/access';
import { ConfigError, type TailwatchConfig } from './options';

/** A token given for a server other machines can reach must be at least this long. */
export const MIN_REMOTE_TOKEN_LENGTH = 16;

/** Fills in the token and refuses what would be unsafe. */
export function resolveToken(config: TailwatchConfig): string {
  if (config.token === null) return randomBytes(24).toString('base64url');
  if (!isLoopbackBind(config.host) && config.token.length < MIN_REMOTE_TOKEN_LENGTH) {
    throw new ConfigError(
      `--token: a server on a non-loopback address (${config.host}) needs a token of at least ${MIN_REMOTE_TOKEN_LENGTH} characters`,
    );
  }
  return config.token;
}

/** Refuses a token too weak for a listener other machines reach. */
export function checkRemoteToken(what: string, token: string): void {
  if (token.length < MIN_REMOTE_TOKEN_LENGTH) {
    throw new ConfigError(`${what}: the token must be at least ${MIN_REMOTE_TOKEN_LENGTH} characters, got ${token.length}`);
  }
}

/** Every --allow-host must be a host name or address, as a Host header carries it (a port is ignored). */
function checkAllowHost(config: TailwatchConfig): void {
  for (const host of config.allowHost) {
    if (hostName(host) === null) throw new ConfigError(`--allow-host: expected a host name such as tailwatch.example.org, got ${JSON.stringify(host)}`);
  }
}

/** Every --allow-origin must be an origin a browser sends (not `null`, `*` or a URL with a path). */
function checkAllowOrigin(config: TailwatchConfig): void {
  for (const origin of config.allowOrigin) {
    if (canonicalOrigin(origin) === null) {
      throw new ConfigError(`--allow-origin: expected an origin such as app://tailwatch or http://host:port, got ${JSON.stringify(origin)}`);
    }
  }
}

/** --allow-host and --allow-origin hold only what a browser sends. */
export function checkAccessOptions(config: TailwatchConfig): void {
  checkAllowHost(config);
  checkAllowOrigin(config);
}
