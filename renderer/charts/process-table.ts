// The top processes beside the charts: name, pid, CPU % and memory from the server's `processes` topic (its
// top 10 by CPU and top 10 by memory, every few seconds), merged and sorted by the column the user clicks.
// The rows are bounded (MAX_PROCESS_ROWS) and redrawn only when a sample or the sort changes; the box
// scrolls inside itself on a narrow screen, never widening the page (process-table.css, imported by the board).
// With --redis the processes are still the server's own (agents' are not forwarded): while other hosts show,
// the title names the server's host.
import type { ProcessesData } from '../../protocol/events';
import { processRows, type ProcessSort, type ProcessSortKey } from './process-rows';
import { formatBytes, formatPercent } from './units';

const COLUMNS: readonly { key: ProcessSortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Process', numeric: false },
  { key: 'pid', label: 'PID', numeric: true },
  { key: 'cpu', label: 'CPU', numeric: true },
  { key: 'rss', label: 'Memory', numeric: true },
];

export class ProcessTable {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly title: HTMLElement;
  private host: string | undefined;
  private manyHosts = false;
  private readonly body: HTMLTableSectionElement;
  private readonly heads = new Map<ProcessSortKey, HTMLButtonElement>();
  private sort: ProcessSort = { key: 'cpu', descending: true };
  private data: ProcessesData | null = null;

  constructor() {
    this.element = document.createElement('section');
    this.element.className = 'process-table';
    this.element.setAttribute('aria-label', 'Top processes');
    const header = document.createElement('div');
    header.className = 'process-head';
    const title = document.createElement('h2');
    title.className = 'process-title';
    title.textContent = 'Processes';
    this.title = title;
    this.summary = document.createElement('span');
    this.summary.className = 'process-summary';
    this.summary.textContent = 'waiting for the first sample';
    header.append(title, this.summary);

    const scroller = document.createElement('div');
    scroller.className = 'process-scroll';
    const table = document.createElement('table');
    const headRow = document.createElement('tr');
    for (const { key, label, numeric } of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (numeric) th.className = 'num';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'process-sort';
      button.dataset.key = key;
      button.textContent = label;
      button.title = `Sort by ${label.toLowerCase()}`;
      button.addEventListener('click', () => this.sortBy(key));
      th.append(button);
      headRow.append(th);
      this.heads.set(key, button);
    }
    const thead = table.createTHead();
    thead.append(headRow);
    this.body = table.createTBody();
    scroller.append(table);
    this.element.append(header, scroller);
    this.renderHeads();
  }

  /** The server's own host name (`hello.host`); undefined without --redis. */
  setHost(host: string | undefined): void {
    this.host = host;
    this.retitle();
  }

  /** Whether other hosts' metrics show beside the server's own: the title then says whose processes these are. */
  setManyHosts(many: boolean): void {
    if (many === this.manyHosts) return;
    this.manyHosts = many;
    this.retitle();
  }

  private retitle(): void {
    this.title.textContent = this.manyHosts && this.host !== undefined ? `Processes on ${this.host}` : 'Processes';
  }

  update(data: ProcessesData): void {
    this.data = data;
    this.renderRows();
  }

  /** A new server run: its processes come with its first sample. */
  clear(): void {
    this.data = null;
    this.body.replaceChildren();
    this.summary.textContent = 'waiting for the first sample';
  }

  private sortBy(key: ProcessSortKey): void {
    // A second click on the sorted column turns the order round; a new column starts in its natural order.
    this.sort = this.sort.key === key ? { key, descending: !this.sort.descending } : { key, descending: key === 'cpu' || key === 'rss' };
    this.renderHeads();
    this.renderRows();
  }

  private renderHeads(): void {
    for (const [key, button] of this.heads) {
      const th = button.parentElement!;
      if (key === this.sort.key) th.setAttribute('aria-sort', this.sort.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  }

  private renderRows(): void {
    if (this.data === null) return;
    const rows = processRows(this.data, this.sort).map((p) => {
      const tr = document.createElement('tr');
      // Tests read the figures as numbers, not as formatted text.
      tr.dataset.pid = String(p.pid);
      tr.dataset.cpu = String(p.cpu);
      tr.dataset.rss = String(p.rss);
      tr.append(cell(p.name, 'name'), cell(String(p.pid), 'num'), cell(formatPercent(p.cpu), 'num'), cell(formatBytes(p.rss), 'num'));
      tr.title = `${p.name} (pid ${p.pid})`;
      return tr;
    });
    this.body.replaceChildren(...rows);
    this.summary.textContent = `top ${rows.length} of ${this.data.count.toLocaleString()}`;
  }
}

function cell(text: string, className: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  return td;
}
