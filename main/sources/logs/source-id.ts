// The id of a source: opaque to clients, and the same for one absolute path in every run,
// so a dashboard's saved selection survives a restart. An agent's sources hash its host name with the path,
// so the same path on two hosts is two sources.
import { createHash } from 'node:crypto';

const SOURCE_ID_LENGTH = 12;

export function sourceIdOf(absolutePath: string, host?: string): string {
  const hash = createHash('sha256');
  // A NUL cannot be in a host name nor a path: `a` + `b/c` and `ab` + `/c` hash apart.
  if (host !== undefined) hash.update(host).update('\0');
  return hash.update(absolutePath).digest('base64url').slice(0, SOURCE_ID_LENGTH);
}
