// A Redis URL as a user may see it: without its password, so no log line, error or start report ever shows one.
export function withoutPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an invalid URL)';
  }
  parsed.password = '';
  // `redis://:pw@host` leaves `redis://@host` behind: no user either, then.
  return parsed.href.replace(/^(rediss?:\/\/)@/, '$1').replace(/\/$/, '');
}

/** Null when `url` is one an agent can use, else what is wrong with it (a phrase, no password in it). */
export function redisUrlMistake(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL (expected redis://[user:password@]host:port[/db] or rediss://…)';
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return 'must start with redis:// or rediss:// (TLS)';
  if (parsed.hostname === '') return 'names no host';
  return null;
}
