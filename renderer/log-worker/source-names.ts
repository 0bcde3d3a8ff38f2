// Source id → display name (visibleName: bidi and invisible characters as `⟨U+XXXX⟩`), from `hello` and
// `source` events, for the words of gap markers. Names of removed sources stay (a gap can be reported after
// the source went), the oldest forgotten past the bound.
import { visibleName } from '../../protocol/visible-text';

const SOURCE_NAME_LIMITS = {
  /** Names remembered; as many as the stream client remembers line numbers for. */
  maxSources: 10_000,
} as const;

export class SourceNames {
  private readonly names = new Map<string, string>();

  set(id: string, name: string): void {
    this.names.delete(id);
    this.names.set(id, visibleName(name));
    if (this.names.size > SOURCE_NAME_LIMITS.maxSources) this.names.delete(this.names.keys().next().value!);
  }

  /** The name, or the id itself for a source never named. */
  nameOf(id: string): string {
    return this.names.get(id) ?? id;
  }
}
