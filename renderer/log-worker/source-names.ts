// Source id → display name (visibleName: bidi and invisible characters as `⟨U+XXXX⟩`) and host (serve
// --redis), from `hello` and `source` events, for the words of gap markers and exported text. Names of removed sources stay (a gap can be reported after
// the source went), the oldest forgotten past the bound.
import { visibleName } from '../../protocol/visible-text';

const SOURCE_NAME_LIMITS = {
  /** Names remembered; as many as the stream client remembers line numbers for. */
  maxSources: 10_000,
} as const;

export class SourceNames {
  private readonly names = new Map<string, string>();
  /** Only sources with a host; forgotten with their name. */
  private readonly hosts = new Map<string, string>();

  set(id: string, name: string, host?: string): void {
    this.names.delete(id);
    this.names.set(id, visibleName(name));
    if (host === undefined) this.hosts.delete(id);
    else this.hosts.set(id, visibleName(host));
    if (this.names.size > SOURCE_NAME_LIMITS.maxSources) {
      const oldest = this.names.keys().next().value!;
      this.names.delete(oldest);
      this.hosts.delete(oldest);
    }
  }

  /** The host a source is on; undefined without --redis, or for a source never named. */
  hostOf(id: string): string | undefined {
    return this.hosts.get(id);
  }

  /** The name, or the id itself for a source never named. */
  nameOf(id: string): string {
    return this.names.get(id) ?? id;
  }
}
