// What the page knows about the followed files: their info from `hello` and `source` events, and a colour
// for each from its path (source-colours.ts), the same on every load (charts and the merged log view share it).
// Names, paths and errors are kept as they are shown (visibleName): every view of a source reads them here.
// A source no longer followed stays, in state `removed`, until the log worker says no view holds a line of
// it (`release`): its lines keep their name, and it can still be hidden or shown.
// On a server with --redis, sources carry their `host`: `hosts()` lists them (the server's own first), and a
// line's label says its host (`web1: app.log`) while more than one host is listed.
import type { LogRateMetrics, SourceInfo } from '../../protocol/events';
import { visibleName } from '../../protocol/visible-text';
import { assignColours, homeSlot } from './source-colours';

export { SOURCE_COLOURS } from './source-colours';

type Listener = () => void;

export class SourceDirectory {
  private readonly sources = new Map<string, SourceInfo>();
  /** Colour slot per source id, worked out again (when next asked) after the set of sources changed. */
  private colourOf: Map<string, number> | null = null;
  private readonly listeners = new Set<Listener>();
  /** False until the first `hello`: before it, "no sources" is not known yet. */
  private knownValue = false;
  /** The server's own host name (`hello.host`, with --redis only). */
  private ownHostValue: string | undefined;
  /** Hosts of the listed sources, the server's own first, then by name; worked out again after a change. */
  private hostList: string[] | null = null;

  get known(): boolean {
    return this.knownValue;
  }

  get ownHost(): string | undefined {
    return this.ownHostValue;
  }

  /**
   * The hosts the listed sources are on: the server's own first (listed even with no source, so the page can
   * name it), then by name. Empty without --redis (no source carries a host).
   */
  hosts(): readonly string[] {
    if (this.hostList === null) {
      const others = new Set<string>();
      for (const info of this.sources.values()) if (info.host !== undefined && info.host !== this.ownHostValue) others.add(info.host);
      const own = this.ownHostValue === undefined ? [] : [this.ownHostValue];
      this.hostList = [...own, ...[...others].sort((a, b) => a.localeCompare(b))];
    }
    return this.hostList;
  }

  /** True when sources of more than one host are listed: the sidebar groups them and lines say their host. */
  get manyHosts(): boolean {
    return this.hosts().length > 1;
  }

  /** A line's source as rows show it: `host: name` while more than one host is listed, else the name. */
  labelOf(id: string): string {
    const info = this.sources.get(id);
    if (info === undefined || info.host === undefined || !this.manyHosts) return this.nameOf(id);
    return `${info.host}: ${info.name}`;
  }

  /** Sorted by name. */
  list(): SourceInfo[] {
    return [...this.sources.values()].sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
  }

  get(id: string): SourceInfo | undefined {
    return this.sources.get(id);
  }

  /** The name to show for a source (its invisible characters as `⟨U+XXXX⟩`); the id itself for one we were not told about. */
  nameOf(id: string): string {
    return this.sources.get(id)?.name ?? id;
  }

  /** 0 … SOURCE_COLOURS − 1: use as `var(--source-N)`. A source not listed gets its id's home slot. */
  colour(id: string): number {
    this.colourOf ??= assignColours(this.sources.values());
    return this.colourOf.get(id) ?? homeSlot(id);
  }

  /**
   * The server's list (`hello`). A source listed before and missing from it was removed meanwhile: it stays,
   * removed, like one removed by a `source` event, until released.
   */
  replaceAll(sources: readonly SourceInfo[], ownHost?: string): void {
    this.ownHostValue = ownHost === undefined ? undefined : visibleName(ownHost);
    const before = new Map(this.sources);
    this.sources.clear();
    for (const info of sources) {
      before.delete(info.id);
      this.set(info);
    }
    for (const [id, info] of before) this.sources.set(id, asRemoved(info));
    this.colourOf = null;
    this.knownValue = true;
    this.changed();
  }

  upsert(info: SourceInfo): void {
    this.set(info);
    this.changed();
  }

  /** Each `metrics` sample carries every source's count and rates: the sidebar stays current without `source` events. */
  updateRates(rates: readonly LogRateMetrics[]): void {
    let changed = false;
    for (const rate of rates) {
      const info = this.sources.get(rate.source);
      if (!info || (info.lines === rate.lines && info.linesPerSec === rate.linesPerSec && info.errorsPerSec === rate.errorsPerSec)) continue;
      this.sources.set(rate.source, { ...info, lines: rate.lines, linesPerSec: rate.linesPerSec, errorsPerSec: rate.errorsPerSec });
      changed = true;
    }
    if (changed) this.changed();
  }

  /** A `source` event with op `remove`: no longer followed, still listed while lines of it are held. */
  markRemoved(info: SourceInfo): void {
    this.set(asRemoved(info));
    this.changed();
  }

  /** The log worker holds no line of these removed sources any more: they leave the list. */
  release(ids: readonly string[]): void {
    let changed = false;
    for (const id of ids) {
      if (this.sources.get(id)?.state !== 'removed') continue;
      this.sources.delete(id);
      changed = true;
    }
    if (changed) {
      this.colourOf = null;
      this.changed();
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stored as shown: a file named `bidi\u202Etxt.exe\u202C.log` must not read as `bidiexe.txt.log`, nor
   * `app\u200B.log` pass for `app.log`, in the sidebar, menus, pane headers, charts, rows or tooltips.
   */
  private set(info: SourceInfo): void {
    const shown: SourceInfo = { ...info, name: visibleName(info.name), path: visibleName(info.path) };
    if (info.host !== undefined) shown.host = visibleName(info.host);
    if (info.error !== undefined) shown.error = visibleName(info.error);
    if (this.sources.get(info.id)?.path !== shown.path) this.colourOf = null;
    this.sources.set(info.id, shown);
  }

  private changed(): void {
    this.hostList = null;
    for (const listener of this.listeners) listener();
  }
}

/** Nothing is read from a removed source: its rates are 0 whatever the last update said. */
function asRemoved(info: SourceInfo): SourceInfo {
  return { ...info, state: 'removed', linesPerSec: 0, errorsPerSec: 0 };
}
