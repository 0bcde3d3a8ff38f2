// A Redis URL as tailwatch checks and shows it, for the agent and the server alike: one check with one wording,
// and the URL and messages as a user may see them, never with the password.

// A Redis URL as a user may see it: without its password, so no log line, error or start report ever shows one.
export function withoutPassword(url: string): string {
  const parsed = parse(url);
  if (parsed === null) return '(an invalid URL)';
  parsed.password = '';
  // `redis://:pw@host` leaves `redis://@host` behind: no user either, then.
  return parsed.href.replace(/^(rediss?:\/\/)@/, '$1').replace(/\/$/, '');
}

/** Null when `url` is one tailwatch can use, else what is wrong with it (a phrase after "the URL", no password in it). */
export function redisUrlMistake(url: string): string | null {
  const parsed = parse(url);
  if (parsed === null) return 'is not a URL (expected redis://[user:password@]host:port[/db] or rediss://…)';
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return 'must start with redis:// or rediss:// (TLS)';
  if (parsed.hostname === '') return 'names no host';
  return null;
}

/** A message as it may be shown: should a library ever quote the password, masked; then one line of at most 300 characters. */
export function withoutSecret(message: string, url: string): string {
  let masked = message;
  for (const secret of passwordsIn(url)) masked = masked.split(secret).join('***');
  return masked.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** What went wrong, as `withoutSecret` shows it: for any thrown value, not only an Error. */
export function redisErrorText(err: unknown, url: string): string {
  return withoutSecret(err instanceof Error ? err.message : String(err), url);
}

/** The password as the URL spells it and as it is sent (percent-decoded): either may be quoted. */
function passwordsIn(url: string): string[] {
  const encoded = parse(url)?.password ?? '';
  if (encoded === '') return [];
  try {
    const decoded = decodeURIComponent(encoded);
    return decoded === encoded ? [encoded] : [encoded, decoded];
  } catch {
    return [encoded];
  }
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
