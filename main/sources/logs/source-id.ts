// The id of a source: opaque to clients, and the same for one absolute path in every run,
// so a dashboard's saved selection survives a restart.
import { createHash } from 'node:crypto';

const SOURCE_ID_LENGTH = 12;

export function sourceIdOf(absolutePath: string): string {
  return createHash('sha256').update(absolutePath).digest('base64url').slice(0, SOURCE_ID_LENGTH);
}
