// Tailer figure 3: 100 files under one --dir, followed and left idle for 10 s: the CPU the process uses (as a
// share of one core) and the fds it holds, with OS events (the default) and with --poll. A first window with
// nothing followed gives the process's own idle CPU, so what the tailer adds can be told from it.
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stampedLine } from './log-lines';
import { createTailer } from './tailer-bed';
import { makeTempDir, sleep } from './util';

export interface IdleWindow {
  label: string;
  files: number;
  /** Process user+sys CPU over the window / its wall time (1 = one core busy). */
  cpuShare: number;
  windowMs: number;
  /** Open fds of the process before start, while idle, and after close (NaN off Linux). */
  fdsBefore: number;
  fdsIdle: number;
  fdsAfterClose: number;
  /** Lines the sink got from the backfill, and lines it got during the idle window (should be 0). */
  backfillLines: number;
  idleLines: number;
  /** Sources announced (`add`) at start, and source events during the idle window. */
  sourcesAdded: number;
  idleSourceEvents: number;
  startMs: number;
  warnings: string[];
}

export interface IdleFilesResult {
  /** How long after start() resolved each window opened. */
  settleMs: number;
  baseline: IdleWindow;
  windows: IdleWindow[];
}

const FILES = 100;
const LINES_PER_FILE = 20;
const WINDOW_MS = 10_000;
const BASELINE_MS = 3_000;
/**
 * After start, before the window opens: the sources' start-up `update`s are over (each source's rate, over a
 * 5 s window, counts its backfill and is announced back at 0 about 7 s later), so the window sees steady idle.
 */
const SETTLE_MS = 8_000;

/** Open fds of this process (Linux: /proc/self/fd, less the one readdir itself holds); NaN elsewhere. */
export function openFdCount(): number {
  try {
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return NaN;
  }
}

async function measureCpu(ms: number): Promise<{ share: number; wallMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(ms);
  const wallMs = performance.now() - t0;
  const d = process.cpuUsage(cpu0);
  return { share: (d.user + d.system) / 1000 / wallMs, wallMs };
}

async function idleWindow(label: string, dir: string, poll: boolean): Promise<IdleWindow> {
  const fdsBefore = openFdCount();
  const t0 = performance.now();
  const tailer = createTailer({ dir: [dir], poll });
  let closed = false;
  try {
    await tailer.sources.start();
    const startMs = performance.now() - t0;
    await sleep(SETTLE_MS);
    const { check } = tailer;
    const linesBefore = check.lines;
    const eventsBefore = check.sourceEvents;
    const sourcesAdded = tailer.sources.list().length;
    const { share, wallMs } = await measureCpu(WINDOW_MS);
    const fdsIdle = openFdCount();
    const idleLines = check.lines - linesBefore;
    const idleSourceEvents = check.sourceEvents - eventsBefore;
    await tailer.close();
    closed = true;
    // fs.watch handles and fds are released asynchronously; give them a turn before counting.
    await sleep(200);
    return {
      label,
      files: FILES,
      cpuShare: share,
      windowMs: wallMs,
      fdsBefore,
      fdsIdle,
      fdsAfterClose: openFdCount(),
      backfillLines: linesBefore,
      idleLines,
      sourcesAdded,
      idleSourceEvents,
      startMs,
      warnings: [...check.warnings],
    };
  } finally {
    if (!closed) await tailer.close();
  }
}

export async function runIdleFiles(): Promise<IdleFilesResult> {
  const dir = await makeTempDir('idle-files');
  try {
    const text = Array.from({ length: LINES_PER_FILE }, (_, i) => stampedLine(i + 1)).join('\n') + '\n';
    for (let i = 0; i < FILES; i++) await writeFile(join(dir.path, `service-${String(i).padStart(3, '0')}.log`), text);
    const fds = openFdCount();
    const base = await measureCpu(BASELINE_MS);
    const baseline: IdleWindow = {
      label: 'baseline: nothing followed',
      files: 0,
      cpuShare: base.share,
      windowMs: base.wallMs,
      fdsBefore: fds,
      fdsIdle: openFdCount(),
      fdsAfterClose: NaN,
      backfillLines: 0,
      idleLines: 0,
      sourcesAdded: 0,
      idleSourceEvents: 0,
      startMs: NaN,
      warnings: [],
    };
    const windows = [await idleWindow('OS events (default)', dir.path, false), await idleWindow('--poll', dir.path, true)];
    return { settleMs: SETTLE_MS, baseline, windows };
  } finally {
    await dir.remove();
  }
}
