// The process table's rows from a `processes` sample: pure, so tests run it without a page.
import type { ProcessesData, ProcessInfo } from '../../protocol/events';

/** Rows shown: the server sends at most 10 per list, so 10 of the merged lists. */
export const MAX_PROCESS_ROWS = 10;

export type ProcessSortKey = 'name' | 'pid' | 'cpu' | 'rss';
export interface ProcessSort {
  key: ProcessSortKey;
  /** Highest first (the default for CPU and memory); names and pids read better lowest first. */
  descending: boolean;
}

/**
 * The processes of both lists once each (by pid), sorted by `sort`, ties by pid, at most `max`. Which
 * processes are shown follows the sort: by memory, the top by memory; by name or pid, the top of both lists.
 */
export function processRows(data: ProcessesData, sort: ProcessSort, max: number = MAX_PROCESS_ROWS): ProcessInfo[] {
  const byPid = new Map<number, ProcessInfo>();
  const first = sort.key === 'rss' ? data.byMem : data.byCpu;
  const second = sort.key === 'rss' ? data.byCpu : data.byMem;
  for (const p of [...first, ...second]) if (!byPid.has(p.pid)) byPid.set(p.pid, p);
  const sign = sort.descending ? -1 : 1;
  const compare = (a: ProcessInfo, b: ProcessInfo): number => {
    const order = sort.key === 'name' ? a.name.localeCompare(b.name) : a[sort.key] - b[sort.key];
    return order !== 0 ? sign * order : a.pid - b.pid;
  };
  return [...byPid.values()].sort(compare).slice(0, max);
}

