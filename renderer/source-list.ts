// The followed files: name, state and lines read, from `hello`, `source` events and the log itself.
import type { SourceInfo } from '../protocol/events';

interface Entry {
  info: SourceInfo;
  row: HTMLLIElement | null;
}

export class SourceList {
  private readonly entries = new Map<string, Entry>();
  /** Rows whose text changed since the last render. */
  private readonly dirty = new Set<string>();
  /** A source came or went: rows are re-ordered at the next render. */
  private reorder = false;
  /** Until the first `hello` we do not know that there are no sources: no empty state yet. */
  private known = false;

  constructor(
    private readonly list: HTMLElement,
    private readonly emptyState: HTMLElement,
  ) {}

  /** The name shown beside each log line; the id itself for a source we were not told about. */
  nameOf(id: string): string {
    return this.entries.get(id)?.info.name ?? id;
  }

  replaceAll(sources: readonly SourceInfo[]): void {
    this.clear();
    this.known = true;
    for (const info of sources) this.upsert(info);
  }

  upsert(info: SourceInfo): void {
    const entry = this.entries.get(info.id);
    if (entry) entry.info = info;
    else {
      this.entries.set(info.id, { info, row: null });
      this.reorder = true;
    }
    this.dirty.add(info.id);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.row?.remove();
    this.entries.delete(id);
    this.dirty.delete(id);
  }

  /** Log lines are numbered per source from 1, so the last one's number is the count read. */
  noteLines(id: string, lastSeq: number): void {
    const entry = this.entries.get(id);
    if (!entry || lastSeq <= entry.info.lines) return;
    entry.info = { ...entry.info, lines: lastSeq };
    this.dirty.add(id);
  }

  private clear(): void {
    this.entries.clear();
    this.dirty.clear();
    this.list.replaceChildren();
    this.known = false;
  }

  render(): void {
    for (const id of this.dirty) {
      const entry = this.entries.get(id);
      if (entry) fillRow((entry.row ??= document.createElement('li')), entry.info);
    }
    this.dirty.clear();
    if (this.reorder) {
      const sorted = [...this.entries.values()].sort((a, b) => a.info.name.localeCompare(b.info.name));
      this.list.replaceChildren(...sorted.map((entry) => entry.row!));
      this.reorder = false;
    }
    this.emptyState.hidden = !this.known || this.entries.size > 0;
  }
}

function fillRow(row: HTMLLIElement, info: SourceInfo): void {
  row.className = `source-item state-${info.state}`;
  row.title = info.state === 'error' && info.error ? `${info.path}: ${info.error}` : info.path;
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = info.name;
  const state = document.createElement('span');
  state.className = 'state';
  state.textContent = info.state;
  const lines = document.createElement('span');
  lines.className = 'lines';
  lines.textContent = `${info.lines.toLocaleString()} lines`;
  row.replaceChildren(name, state, lines);
}
