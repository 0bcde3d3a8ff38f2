// Browser figure: the dashboard in headless Chromium while one followed file takes 50,000 lines/s for 10 s
// (frame rate, main-thread busy time, long tasks, how fast the page answers), and the tab's memory after
// 200,000 and 1,000,000 lines (the page keeps at most 100,000 lines a view, so memory should plateau).
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { chromium, errors, type Browser, type CDPSession, type Page } from 'playwright-core';
import { STAMPED_VOCABULARY } from './log-lines';
import { withBed } from './run-context';
import type { ServerProcess } from './server-process';
import { hrNow, percentile, sleep } from './util';

const CHROMIUM_PATH = '/usr/bin/chromium';
/** As the e2e tests launch it: no sandbox (Chromium refuses to run as root with it), no GPU, no network of its own. */
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const LAUNCH_TIMEOUT_MS = 30_000;
const VIEWPORT = { width: 1366, height: 768 };
/** The page loads its bundle, gets the server's hello and shows "connected" within this. */
const CONNECT_TIMEOUT_MS = 15_000;
/** Reading #status once more to say why the page did not connect: it is there by then, or not at all. */
const STATUS_READ_TIMEOUT_MS = 1_000;

/** The load: 50,000 lines/s for 10 s, written in 20 ms batches (a busy logger's flushes). */
const STREAM_LINES_PER_S = 50_000;
const STREAM_MS = 10_000;
const BATCH_MS = 20;
/** The memory figure's writes, before and after the stream. */
const FILL_LINES_PER_S = 100_000;
/** Past the page's 100,000-line buffer, so that memory here vs at TOTAL_LINES shows the plateau. */
export const PLATEAU_LINES = 200_000;
export const TOTAL_LINES = 1_000_000;
/** A window without writes before the stream: this browser's own frame rate and round trip at rest. */
const IDLE_MS = 3_000;
/** One `page.evaluate(() => 1)` round trip started this often. */
const PROBE_EVERY_MS = 250;
/** A frame that took longer than this is a stutter a reader sees (three frames at 60 Hz). */
export const SLOW_FRAME_MS = 50;
/** After the stream stops, its last line must be on screen within this. */
export const LAST_LINE_TIMEOUT_MS = 10_000;
/** The same after the memory figure's faster writes. */
const FILL_LAST_LINE_TIMEOUT_MS = 30_000;
/** How often the page is searched for the last line: the catch-up time is this coarse. */
const LAST_LINE_POLL_MS = 25;
/** After the last line is on screen and before GC and reading memory: deferred work runs down. */
const SETTLE_MS = 2_000;
/** A page or worker that answers no command for this long is hung: the section fails instead of waiting. */
const PAGE_CALL_TIMEOUT_MS = 30_000;
const MAX_PAGE_PROBLEMS = 5;
/** USER_HZ: /proc/<pid>/stat counts CPU time in clock ticks, 100 per second on Linux. */
const CLOCK_TICKS_PER_S = 100;

/** What each line carries so that the page can be searched for it: `#` and its seq in 9 digits. */
function counterOf(seq: number): string {
  return '#' + String(seq).padStart(9, '0');
}

/**
 * The writer thread: appends lines `first`..`first+count-1` at `linesPerS`, one write(2) per batch, on a
 * schedule of its own, so that neither this process's event loop (Playwright, probes) nor GC here bends
 * the pacing. Lines are 94–173 bytes (116 on average): 60% plain, 20% with ANSI colours, 20% JSON, each with counterOf(seq).
 * Each starts with (or, in JSON, has a `ts` of) the time it was written: the server reads it as the line's
 * time, and the dashboard's view is in time order, so the last line written is the last row. The colours
 * come after the timestamp, as most loggers put them: an escape sequence first would hide the time from the
 * server, and such a line would sort by the time it was read instead.
 */
const WRITER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, writeSync } = require('node:fs');
// The words of the tailer bench's stamped lines (log-lines.ts), handed over in workerData.
const { levels: LEVELS, services: SERVICES, messages: MESSAGES } = workerData.vocabulary;
const SGR = { INFO: 32, DEBUG: 90, WARN: 33, ERROR: 31 };
// murmur3's finalizer: every bit of seq moves every bit of the hash, so forms, levels and messages mix.
function hash(seq) {
  let h = Math.imul(seq ^ (seq >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
function line(seq, ts) {
  const h = hash(seq);
  const level = LEVELS[h >>> 29];
  const service = SERVICES[(h >>> 16) % SERVICES.length];
  const text = '#' + String(seq).padStart(9, '0') + ' ' + MESSAGES[(h >>> 8) & 7];
  const form = (h >>> 12) % 10;
  if (form < 2) return JSON.stringify({ ts, level: level.toLowerCase(), service, msg: text, pid: 4000 + (h & 255) });
  if (form < 4) return ts + ' \x1b[' + SGR[level] + 'm' + level.padEnd(5) + '\x1b[0m \x1b[36m' + service.padEnd(9) + '\x1b[0m ' + text;
  return ts + ' ' + level.padEnd(5) + ' ' + service.padEnd(9) + ' ' + text;
}
const nap = new Int32Array(new SharedArrayBuffer(4));
const wall = () => performance.timeOrigin + performance.now();
parentPort.on('message', ({ first, count, linesPerS, batchMs }) => {
  const end = first + count;
  const fd = openSync(workerData.path, 'a');
  const t0 = performance.now();
  let next = first;
  let bytes = 0;
  let maxLateMs = 0;
  let lastWriteAt = wall();
  try {
    // Batch k is due at k × batchMs and brings the file to (k + 1) batches' worth of lines: a late batch
    // is reported, and the next ones follow at once until the schedule is met again.
    for (let k = 0; next < end; k++) {
      const late = performance.now() - t0 - k * batchMs;
      if (late < 0) Atomics.wait(nap, 0, 0, -late);
      else if (late > maxLateMs) maxLateMs = late;
      const upTo = Math.min(end, first + Math.round(((k + 1) * batchMs * linesPerS) / 1000));
      const ts = new Date().toISOString();
      const parts = [];
      for (; next < upTo; next++) parts.push(line(next, ts));
      parts.push('');
      const buf = Buffer.from(parts.join('\n'));
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
      bytes += buf.length;
      lastWriteAt = wall();
    }
  } finally {
    closeSync(fd);
  }
  // The window is the schedule's whole length (count ÷ rate), unless the writes ran past it.
  const left = (count / linesPerS) * 1000 - (performance.now() - t0);
  if (left > 0) Atomics.wait(nap, 0, 0, left);
  parentPort.postMessage({ first, last: end - 1, bytes, startedAt: performance.timeOrigin + t0, lastWriteAt, endedAt: wall(), maxLateMs });
});
`;

interface WriteRun {
  first: number;
  last: number;
  bytes: number;
  /** Wall-clock ms (performance.timeOrigin + now, the same clock as hrNow() here). */
  startedAt: number;
  lastWriteAt: number;
  endedAt: number;
  /** How far behind its schedule a batch was at worst. */
  maxLateMs: number;
}

/** Appends to one file from a worker thread, numbering lines 1, 2, 3… across calls. */
class LineWriter {
  private next = 1;

  private constructor(private readonly worker: Worker) {}

  static async start(path: string): Promise<LineWriter> {
    const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { path, vocabulary: STAMPED_VOCABULARY } });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    return new LineWriter(worker);
  }

  /** Appends the next `count` lines at `linesPerS`; resolves when the schedule is over. */
  write(count: number, linesPerS: number): Promise<WriteRun> {
    const first = this.next;
    this.next += count;
    return new Promise<WriteRun>((resolve, reject) => {
      const onMessage = (run: WriteRun) => {
        this.worker.off('error', onError);
        resolve(run);
      };
      const onError = (err: Error) => {
        this.worker.off('message', onMessage);
        reject(err);
      };
      this.worker.once('message', onMessage);
      this.worker.once('error', onError);
      this.worker.postMessage({ first, count, linesPerS, batchMs: BATCH_MS });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

interface ProcEntry {
  pid: number;
  ppid: number;
  /** Arguments joined by spaces: Chromium's zygote children rewrite theirs as one space-separated string. */
  cmdline: string;
}

function procStatFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing paren are fixed.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function rssOf(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

function cpuSecondsOf(pid: number): number {
  const f = procStatFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / CLOCK_TICKS_PER_S : NaN;
}

/**
 * The browser launched with `tag` and every process under it. Playwright does not give the browser's pid,
 * so the main process is found by the tag on its command line, its children by their parent pid.
 */
function browserProcesses(tag: string): ProcEntry[] {
  const all: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = procStatFields(pid);
    if (!stat) continue;
    try {
      all.push({ pid, ppid: Number(stat[1]), cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // Gone between the two reads: not ours to count.
    }
  }
  const tree = all.filter((p) => p.cmdline.includes(tag));
  const seen = new Set(tree.map((p) => p.pid));
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i]!.pid;
    for (const p of all) {
      if (p.ppid !== parent || seen.has(p.pid)) continue;
      seen.add(p.pid);
      tree.push(p);
    }
  }
  return tree;
}

interface ProcessMemory {
  /** The largest renderer process: the dashboard's tab (the others are the browser's own UI and a spare). */
  rendererPid: number;
  rendererRss: number;
  renderers: number;
  /** Every process of the browser, RSS summed (shared pages counted in each). */
  browserRss: number;
  processes: number;
}

function processMemory(tag: string): ProcessMemory {
  const tree = browserProcesses(tag);
  let rendererPid = NaN;
  let rendererRss = NaN;
  let renderers = 0;
  let browserRss = 0;
  for (const p of tree) {
    const rss = rssOf(p.pid);
    if (Number.isFinite(rss)) browserRss += rss;
    if (!p.cmdline.includes(' --type=renderer ')) continue;
    renderers++;
    if (Number.isNaN(rendererRss) || rss > rendererRss) {
      rendererRss = rss;
      rendererPid = p.pid;
    }
  }
  return { rendererPid, rendererRss, renderers, browserRss, processes: tree.length };
}

async function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${PAGE_CALL_TIMEOUT_MS} ms (is the page hung?)`)), PAGE_CALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Console errors and uncaught exceptions of the page: the first few kept for the report, all counted. */
class PageProblems {
  readonly first: string[] = [];
  count = 0;

  add(text: string): void {
    this.count++;
    if (this.first.length < MAX_PAGE_PROBLEMS) this.first.push(text.replace(/\s+/g, ' ').slice(0, 300));
  }
}

interface Tab {
  page: Page;
  /** The page's CDP session (its main thread's metrics and heap). */
  cdp: CDPSession;
  /** The browser's, to reach the page's workers, for which Playwright opens no CDP session. */
  browserCdp: CDPSession;
  tag: string;
  transport: string | null;
  problems: PageProblems;
}

async function openDashboard(browser: Browser, server: ServerProcess, tag: string): Promise<Tab> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const problems = new PageProblems();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.add(message.text());
  });
  page.on('pageerror', (error) => problems.add(error.message));
  await page.goto(`${server.base}/?token=${server.token}`, { timeout: CONNECT_TIMEOUT_MS });
  const connected = page.locator('#status[data-status="connected"]');
  try {
    await connected.waitFor({ timeout: CONNECT_TIMEOUT_MS });
  } catch (err) {
    if (!(err instanceof errors.TimeoutError)) throw err;
    const status = await page.locator('#status').getAttribute('data-status', { timeout: STATUS_READ_TIMEOUT_MS }).catch(() => null);
    throw new Error(
      `the dashboard at ${server.base}/ showed no #status[data-status="connected"] within ${CONNECT_TIMEOUT_MS} ms ` +
        `(data-status: ${status ?? 'no #status element'}; page problems: ${problems.first.join(' | ') || 'none'})`,
    );
  }
  const transport = await connected.getAttribute('data-transport');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const browserCdp = await browser.newBrowserCDPSession();
  return { page, cdp, browserCdp, tag, transport, problems };
}

async function pageMetrics(tab: Tab): Promise<Map<string, number>> {
  const { metrics } = await bounded(tab.cdp.send('Performance.getMetrics'), 'Performance.getMetrics');
  return new Map(metrics.map((m) => [m.name, m.value]));
}

function metric(metrics: Map<string, number>, name: string): number {
  return metrics.get(name) ?? NaN;
}

let workerCommandId = 0;

/**
 * One CDP command in a worker attached without `flatten`: the reply comes back wrapped in an event of
 * the browser session (Playwright's sessions cannot address a flat child session).
 */
function callInWorker(tab: Tab, sessionId: string, method: string): Promise<unknown> {
  const id = ++workerCommandId;
  let onMessage: ((event: { sessionId?: string; message: string }) => void) | undefined;
  const reply = new Promise<unknown>((resolve, reject) => {
    onMessage = (event) => {
      if (event.sessionId !== sessionId) return;
      const answer = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
      if (answer.id !== id) return;
      if (answer.error) reject(new Error(`${method} in a worker: ${answer.error.message}`));
      else resolve(answer.result);
    };
    tab.browserCdp.on('Target.receivedMessageFromTarget', onMessage);
    tab.browserCdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(reject);
  });
  return bounded(reply, `${method} in a worker`).finally(() => tab.browserCdp.off('Target.receivedMessageFromTarget', onMessage!));
}

/** Collects garbage in each of the page's dedicated workers (the log worker holds the lines), then sums their heaps. */
async function workerHeaps(tab: Tab): Promise<{ workers: number; usedBytes: number }> {
  const { targetInfos } = await bounded(tab.browserCdp.send('Target.getTargets'), 'Target.getTargets');
  let usedBytes = 0;
  let workers = 0;
  for (const target of targetInfos) {
    if (target.type !== 'worker') continue;
    const { sessionId } = await bounded(tab.browserCdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false }), 'Target.attachToTarget');
    try {
      await callInWorker(tab, sessionId, 'HeapProfiler.collectGarbage');
      const heap = (await callInWorker(tab, sessionId, 'Runtime.getHeapUsage')) as { usedSize: number };
      usedBytes += heap.usedSize;
      workers++;
    } finally {
      await tab.browserCdp.send('Target.detachFromTarget', { sessionId });
    }
  }
  return { workers, usedBytes };
}

/**
 * Waits for a row showing line `seq`; the view is virtualized, so only rows on screen are in the DOM.
 * Polled from here: the page's CSP (no 'unsafe-eval') refuses page.waitForFunction's string predicates.
 */
async function lineShown(tab: Tab, seq: number, timeoutMs: number): Promise<boolean> {
  const expression =
    `[...document.querySelectorAll('#log-view .row .text')].some((e) => e.textContent.includes(${JSON.stringify(counterOf(seq))}))`;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await bounded(tab.page.evaluate<boolean>(expression), 'looking for the last line')) return true;
    if (performance.now() > deadline) return false;
    await sleep(LAST_LINE_POLL_MS);
  }
}

export interface TabMemory {
  label: string;
  lines: number;
  /** Null before any line was written. */
  lastLineShown: boolean | null;
  /** Last write → the last line on screen (NaN when it was not). */
  catchUpMs: number;
  rendererRss: number;
  renderers: number;
  browserRss: number;
  processes: number;
  /** The page's main-thread JS heap, after a forced GC. */
  jsHeapUsed: number;
  /** The page's workers' JS heaps, after a forced GC in each. */
  workerHeapUsed: number;
  workers: number;
  /** Blink's live DOM node count (CDP `Nodes`: documents, text nodes, detached nodes not yet collected). */
  domNodes: number;
  /** document.querySelectorAll('*').length. */
  elements: number;
  logRows: number;
}

/** Waits for line `run.last`, lets the page settle, collects garbage in it and its workers, then reads memory. */
async function tabMemory(tab: Tab, label: string, run: WriteRun | null, timeoutMs: number): Promise<TabMemory> {
  const shown = run ? await lineShown(tab, run.last, timeoutMs) : null;
  const catchUpMs = run && shown ? hrNow() - run.lastWriteAt : NaN;
  await sleep(SETTLE_MS);
  await bounded(tab.cdp.send('HeapProfiler.collectGarbage'), 'HeapProfiler.collectGarbage');
  const heaps = await workerHeaps(tab);
  const metrics = await pageMetrics(tab);
  const dom = await bounded(
    tab.page.evaluate<{ elements: number; logRows: number }>(
      `({ elements: document.querySelectorAll('*').length, logRows: document.querySelectorAll('#log-view .row').length })`,
    ),
    'counting elements',
  );
  const processes = processMemory(tab.tag);
  return {
    label,
    lines: run?.last ?? 0,
    lastLineShown: shown,
    catchUpMs,
    rendererRss: processes.rendererRss,
    renderers: processes.renderers,
    browserRss: processes.browserRss,
    processes: processes.processes,
    jsHeapUsed: metric(metrics, 'JSHeapUsedSize'),
    workerHeapUsed: heaps.usedBytes,
    workers: heaps.workers,
    domNodes: metric(metrics, 'Nodes'),
    elements: dom.elements,
    logRows: dom.logRows,
  };
}

/**
 * Installed once in the page, reset at the start of each window: a requestAnimationFrame counter (with the
 * longest gap between frames and the gaps over SLOW_FRAME_MS) and a long-task observer.
 */
const FRAME_PROBE_START = `(() => {
  let p = globalThis.__tailwatchBench;
  if (!p) {
    p = globalThis.__tailwatchBench = {};
    const onFrame = (t) => {
      if (p.last) {
        const gap = t - p.last;
        if (gap > p.longestFrameMs) p.longestFrameMs = gap;
        if (gap > ${SLOW_FRAME_MS}) p.slowFrames++;
      }
      p.last = t;
      p.frames++;
      requestAnimationFrame(onFrame);
    };
    requestAnimationFrame(onFrame);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        p.longTasks++;
        p.longTaskMs += e.duration;
      }
    }).observe({ type: 'longtask' });
  }
  Object.assign(p, { frames: 0, last: 0, longestFrameMs: 0, slowFrames: 0, longTasks: 0, longTaskMs: 0, since: performance.now() });
})()`;
const FRAME_PROBE_READ = `(() => { const p = globalThis.__tailwatchBench; return { ...p, elapsedMs: performance.now() - p.since }; })()`;

interface FrameProbe {
  frames: number;
  longestFrameMs: number;
  slowFrames: number;
  longTasks: number;
  longTaskMs: number;
  elapsedMs: number;
}

export interface PageWindow {
  label: string;
  lines: number;
  /** Lines written ÷ the writer's window (0 when idle). */
  linesPerS: number;
  /** The window by the page's clock (frames) and by CDP's (busy time). */
  pageMs: number;
  cdpMs: number;
  frames: number;
  fps: number;
  slowFrames: number;
  longestFrameMs: number;
  /**
   * CDP TaskDuration ÷ window: the share of the time the renderer's main thread ran tasks. It is wall time,
   * so on a loaded machine it includes waits for a core; `mainThreadCpuShare` (ThreadTime) does not.
   */
  busyShare: number;
  mainThreadCpuShare: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  longTasks: number;
  longTaskMs: number;
  /** page.evaluate(() => 1) round trips. */
  rttSamples: number;
  rttP50: number;
  rttP99: number;
  rttMax: number;
  /** The tab's renderer process (main thread, log worker, compositor…) and the server: CPU ÷ wall time. */
  rendererCpuShare: number;
  serverCpuShare: number;
  rendererRssPeak: number;
  writer: WriteRun | null;
}

/** Measures the page while `load` runs (a paced write, or nothing), and returns what `load` gave. */
async function pageWindow(tab: Tab, server: ServerProcess, label: string, load: () => Promise<WriteRun | null>): Promise<PageWindow> {
  const { rendererPid } = processMemory(tab.tag);
  await bounded(tab.page.evaluate(FRAME_PROBE_START), 'installing the frame probe');
  const before = await pageMetrics(tab);
  const rendererCpu0 = cpuSecondsOf(rendererPid);
  const serverCpu0 = server.cpuSeconds();
  const t0 = hrNow();
  let rendererRssPeak = rssOf(rendererPid);
  const rtts: number[] = [];
  let loading = true;
  const probing = (async () => {
    while (loading) {
      const start = performance.now();
      await tab.page.evaluate('1');
      rtts.push(performance.now() - start);
      rendererRssPeak = Math.max(rendererRssPeak, rssOf(rendererPid));
      await sleep(Math.max(0, PROBE_EVERY_MS - (performance.now() - start)));
    }
  })();
  // Rethrown below; until then a failing round trip must not become an unhandled rejection.
  probing.catch(() => undefined);
  let writer: WriteRun | null;
  try {
    writer = await load();
  } finally {
    loading = false;
  }
  const wallS = (hrNow() - t0) / 1000;
  const rendererCpuS = cpuSecondsOf(rendererPid) - rendererCpu0;
  const serverCpuS = server.cpuSeconds() - serverCpu0;
  const after = await pageMetrics(tab);
  const frames = await bounded(tab.page.evaluate<FrameProbe>(FRAME_PROBE_READ), 'reading the frame probe');
  await bounded(probing, 'the last evaluate round trip');
  const delta = (name: string) => metric(after, name) - metric(before, name);
  const cdpS = delta('Timestamp');
  const sorted = rtts.sort((a, b) => a - b);
  const lines = writer ? writer.last - writer.first + 1 : 0;
  return {
    label,
    lines,
    linesPerS: writer ? lines / ((writer.endedAt - writer.startedAt) / 1000) : 0,
    pageMs: frames.elapsedMs,
    cdpMs: cdpS * 1000,
    frames: frames.frames,
    fps: frames.frames / (frames.elapsedMs / 1000),
    slowFrames: frames.slowFrames,
    longestFrameMs: frames.longestFrameMs,
    busyShare: delta('TaskDuration') / cdpS,
    mainThreadCpuShare: delta('ThreadTime') / cdpS,
    scriptMs: delta('ScriptDuration') * 1000,
    layoutMs: delta('LayoutDuration') * 1000,
    styleMs: delta('RecalcStyleDuration') * 1000,
    longTasks: frames.longTasks,
    longTaskMs: frames.longTaskMs,
    rttSamples: sorted.length,
    rttP50: percentile(sorted, 50),
    rttP99: percentile(sorted, 99),
    rttMax: sorted[sorted.length - 1] ?? NaN,
    rendererCpuShare: rendererCpuS / wallS,
    serverCpuShare: serverCpuS / wallS,
    rendererRssPeak,
    writer,
  };
}

export type BrowserResult =
  | { skipped: string }
  | {
      skipped: null;
      chromium: string;
      /** The page's transport (`data-transport` of #status). */
      transport: string | null;
      bytesPerLine: number;
      idle: PageWindow;
      stream: PageWindow;
      /** The stream's last line: on screen within LAST_LINE_TIMEOUT_MS of the last write, and how soon. */
      streamLastLine: number;
      streamLastLineShown: boolean;
      streamCatchUpMs: number;
      /** Connected with no lines, after PLATEAU_LINES, after TOTAL_LINES. */
      memory: TabMemory[];
      problems: string[];
      problemCount: number;
    };

export async function runBrowser(): Promise<BrowserResult> {
  if (!existsSync(CHROMIUM_PATH)) {
    return { skipped: `no Chromium at ${CHROMIUM_PATH} (Debian/Ubuntu: apt-get install chromium): skipped` };
  }
  return withBed('browser', [], async ({ server, file }) => {
    const writer = await LineWriter.start(file);
    // Found again in /proc/*/cmdline: Chromium ignores a switch it does not know.
    const tag = `--tailwatch-bench=${randomUUID()}`;
    let browser: Browser | null = null;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...LAUNCH_ARGS, tag], timeout: LAUNCH_TIMEOUT_MS });
      const tab = await openDashboard(browser, server, tag);
      const memory = [await tabMemory(tab, 'connected, no lines yet', null, 0)];
      // The stream runs on a page that already holds a full buffer: the state of a dashboard left open on
      // a busy log, and the 200,000-line memory figure comes before 500,000 more lines have gone by.
      const plateau = await writer.write(PLATEAU_LINES, FILL_LINES_PER_S);
      memory.push(await tabMemory(tab, `${PLATEAU_LINES.toLocaleString('en-US')} lines`, plateau, FILL_LAST_LINE_TIMEOUT_MS));
      const idle = await pageWindow(tab, server, `idle, ${IDLE_MS / 1000} s`, async () => {
        await sleep(IDLE_MS);
        return null;
      });
      const streamLines = (STREAM_LINES_PER_S * STREAM_MS) / 1000;
      const stream = await pageWindow(tab, server, `${STREAM_LINES_PER_S.toLocaleString('en-US')} lines/s, ${STREAM_MS / 1000} s`, () =>
        writer.write(streamLines, STREAM_LINES_PER_S),
      );
      const streamed = stream.writer!;
      const streamLastLineShown = await lineShown(tab, streamed.last, LAST_LINE_TIMEOUT_MS);
      const streamCatchUpMs = streamLastLineShown ? hrNow() - streamed.lastWriteAt : NaN;
      const rest = await writer.write(TOTAL_LINES - streamed.last, FILL_LINES_PER_S);
      memory.push(await tabMemory(tab, `${TOTAL_LINES.toLocaleString('en-US')} lines`, rest, FILL_LAST_LINE_TIMEOUT_MS));
      const runs = [plateau, streamed, rest];
      return {
        skipped: null,
        chromium: `Chromium ${browser.version()}`,
        transport: tab.transport,
        bytesPerLine: runs.reduce((n, r) => n + r.bytes, 0) / TOTAL_LINES,
        idle,
        stream,
        streamLastLine: streamed.last,
        streamLastLineShown,
        streamCatchUpMs,
        memory,
        problems: tab.problems.first,
        problemCount: tab.problems.count,
      };
    } finally {
      await browser?.close();
      await writer.close();
    }
  });
}
