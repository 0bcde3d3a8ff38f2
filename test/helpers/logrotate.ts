// The real logrotate, forced again and again on a log that a writer child fills at thousands of lines a second,
// under a tailer following the folder with the default patterns; then every line still on disk must have been
// delivered, and none twice (test/integration/logrotate-*.test.ts, one rotation mode per file).
import { execFile, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS } from '../../main/app/options';
import { LogSources } from '../../main/sources/logs/log-sources';
import type { LogTimings } from '../../main/sources/logs/log-sources';
import { LOG_TIMINGS } from '../../main/sources/logs/limits';
import { Random } from '../fixtures/logs/log-model';
import { RecordingSink } from '../fixtures/logs/recording-sink';
import { seqOf, writerLine } from './logrotate-writer';
import type { WriterReport } from './logrotate-writer';
import { testDir } from './temp-dir';
import { waitFor } from './wait';

/** Where Debian installs it; .ci/run installs the package when it is missing. */
export const LOGROTATE = '/usr/sbin/logrotate';

/**
 * How logrotate rotates `app.log`, keeping `rotate` old files:
 * - `create`: renamed to app.log.1, a new app.log created, the writer told to reopen (postrotate: SIGUSR1);
 * - `copytruncate`: copied to app.log.1, then truncated; the writer keeps its one fd and never reopens;
 * - `dateext`: as `create`, renamed to app.log-YYYYMMDD-HHMMSS;
 * - `compress`: as `create`, and app.log.1 gzipped at once (app.log.1.gz), after the postrotate script;
 * - `delaycompress`: as `compress`, but app.log.1 stays plain until the next rotation makes it app.log.2.gz.
 */
export type RotationMode = 'create' | 'copytruncate' | 'dateext' | 'compress' | 'delaycompress';

export interface RotationPlan {
  mode: RotationMode;
  linesPerSecond: number;
  /** The writer writes, and logrotate is forced, for this long. */
  durationMs: number;
  /** Between the end of one logrotate run and the start of the next: a pause drawn from [min, max] ms. */
  pauseMs: readonly [number, number];
  /** `rotate N`: older rotations are deleted, so only what is on disk at the end is required. */
  keep: number;
  /** Of the pauses' random draws. */
  seed: number;
}

/** One line as the tailer delivered it: under which file (source path) and as which of its seqs. */
export interface Delivery {
  text: string;
  path: string;
  seq: number;
}

/** A tailer following a folder, seen from outside. */
export interface TailerUnderTest {
  /** What it was: in the diagnostics. */
  readonly label: string;
  /** Grows with every batch delivered: the run is settled once it stays put. */
  activity(): number;
  deliveries(): Delivery[];
  /** After the last rotation: how long a file rotated away may still be read (its grace period and a look). */
  readonly settleMs: number;
  /** Warnings and broken promises of the sink contract: in the diagnostics. */
  notes(): string[];
}

/** Fails with what to do when logrotate is not installed: these tests never pass by being skipped. */
export function requireLogrotate(): void {
  try {
    accessSync(LOGROTATE, constants.X_OK);
  } catch {
    throw new Error(`${LOGROTATE} not found: the logrotate tests run the real logrotate; install it (apt-get install logrotate, as .ci/run does)`);
  }
}

/** logrotate's configuration for `path`: the writer with pid `writerPid` reopens on SIGUSR1. */
export function logrotateConfig(path: string, mode: RotationMode, keep: number, writerPid: number): string {
  const reopen = ['postrotate', `  kill -USR1 ${writerPid}`, 'endscript'];
  const directives: Record<RotationMode, string[]> = {
    create: ['create', ...reopen],
    copytruncate: ['copytruncate'],
    // logrotate refuses a second rotation to the same name (`destination … already exists, skipping
    // rotation`) and its date formats go no finer than a second: runs of this mode are a second apart at least.
    dateext: ['create', 'dateext', 'dateformat -%Y%m%d-%H%M%S', ...reopen],
    compress: ['create', 'compress', ...reopen],
    delaycompress: ['create', 'compress', 'delaycompress', ...reopen],
  };
  return [`"${path}" {`, `rotate ${keep}`, ...directives[mode]].join('\n  ') + '\n}\n';
}

const WRITER = join(fileURLToPath(new URL('.', import.meta.url)), 'logrotate-writer.ts');

interface RunningWriter {
  pid: number;
  stop(): Promise<WriterReport>;
}

/** Starts the writer child on `path`; killed when the test ends, whatever happened. */
async function startWriter(t: TestContext, path: string, label: string, linesPerSecond: number): Promise<RunningWriter> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', WRITER, path, label, String(linesPerSecond)]);
  // 'close', not 'exit': its report on stdout has been read by then.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  await waitFor(() => out.startsWith('ready\n') || child.exitCode !== null, 'the writer to open its log', 15_000, () => ({ out, err }));
  if (!out.startsWith('ready\n')) throw new Error(`the writer exited at start (${child.exitCode}): ${err}`);
  return {
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, delay(10_000, 'timeout' as const, { ref: false })]);
      if (code !== 0) throw new Error(`the writer did not stop cleanly (${code}): ${err}`);
      return JSON.parse(out.slice('ready\n'.length)) as WriterReport;
    },
  };
}

/**
 * What logrotate may say on stderr in `compress` mode: gzip runs right after the postrotate script has signalled
 * the writer, which may not have reopened yet and still appends to app.log.1 while it is zipped (why
 * `delaycompress` exists). What it appends then is on no disk once gzip removed the file.
 */
const GZIP_SAW_WRITES = /^error: Compressing program wrote following message to stderr when compressing log \S+:\ngzip: stdin: file size changed while zipping$/;

/**
 * One forced run of logrotate; rejects with its stderr on any failure (a skipped rotation too). True when gzip
 * found the file still being written (`compress` only).
 */
function forceRotation(config: string, state: string, mode: RotationMode): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile(LOGROTATE, ['-f', '-s', state, config], { timeout: 10_000 }, (error, _stdout, stderr) => {
      const said = stderr.trim();
      const gzipSawWrites = mode === 'compress' && GZIP_SAW_WRITES.test(said);
      if (error || (said !== '' && !gzipSawWrites)) reject(new Error(`${LOGROTATE} -f -s ${state} ${config} failed (${error?.message ?? 'exit 0'}): ${said}`));
      else resolve(gzipSawWrites);
    });
  });
}

/**
 * The tailer's timings in these tests: a look every 200 ms besides the events, and a rotated file read on for
 * 2.5 s after its last write (5 s by default), still longer than the longest time between two rotations here,
 * so a file rotated away is held when the next run of logrotate renames it again, as with real schedules.
 */
export const TAILER_TIMINGS: Partial<LogTimings> = { safetyTickMs: 200, rotatedGraceMs: 2500 };

/**
 * LogSources in this process, following `dir` with the default patterns and short timings, into a recording
 * sink. Closed when the test ends.
 */
export async function followInProcess(t: TestContext, dir: string, timings: Partial<LogTimings> = TAILER_TIMINGS): Promise<TailerUnderTest> {
  const sink = new RecordingSink();
  const sources = new LogSources({ ...DEFAULTS, dir: [dir], timings }, sink);
  t.after(() => sources.close());
  await sources.start();
  const { safetyTickMs, rotatedGraceMs } = { ...LOG_TIMINGS, ...timings };
  return {
    label: `LogSources in process (safety tick ${safetyTickMs} ms, rotated grace ${rotatedGraceMs} ms)`,
    activity: () => sink.appendCalls,
    deliveries() {
      const pathOf = new Map(sink.sourceEvents.map((e) => [e.source.id, e.source.path]));
      return [...sink.lines].flatMap(([id, lines]) => lines.map((l) => ({ text: l.text, path: pathOf.get(id) ?? id, seq: l.seq })));
    },
    settleMs: rotatedGraceMs + 2 * safetyTickMs,
    notes: () => [...sink.violations.map((v) => `sink contract: ${v}`), ...sink.warnings.map((w) => `warning: ${w}`)],
  };
}

/** The lines in the folder now, gzipped rotations included. */
interface LinesOnDisk {
  /** Every whole line, with the files it is in. */
  lines: Map<string, string[]>;
  /** A file's last bytes when they are not a whole line: a line logrotate's copy caught half written. */
  tornTails: Map<string, string>;
  /** Per file: its name, whole lines, and the first and last writer seq in it. */
  files: { name: string; lines: number; first: number | null; last: number | null }[];
}

async function readLinesOnDisk(dir: string): Promise<LinesOnDisk> {
  const disk: LinesOnDisk = { lines: new Map(), tornTails: new Map(), files: [] };
  for (const name of (await readdir(dir)).sort()) {
    const bytes = await readFile(join(dir, name));
    const parts = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8').split('\n');
    const tail = parts.pop()!;
    if (tail !== '') disk.tornTails.set(tail, name);
    for (const text of parts) disk.lines.set(text, [...(disk.lines.get(text) ?? []), name]);
    disk.files.push({ name, lines: parts.length, first: parts.length > 0 ? seqOf(parts[0]!) : null, last: parts.length > 0 ? seqOf(parts.at(-1)!) : null });
  }
  return disk;
}

/** Waits until nothing was delivered for `quietMs`, and at least `minMs`; at most `maxMs`. */
async function settle(tailer: TailerUnderTest, minMs: number, quietMs: number, maxMs: number): Promise<void> {
  const start = Date.now();
  let seen = tailer.activity();
  let quietSince = Date.now();
  while (Date.now() - start < maxMs) {
    await delay(100);
    if (tailer.activity() !== seen) {
      seen = tailer.activity();
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs && Date.now() - start >= minMs) {
      return;
    }
  }
}

const count = (n: number) => n.toLocaleString('en-US');

/** `1–5, 9, 12–40` for sorted whole numbers, the first `max` ranges. */
function ranges(seqs: number[], max = 6): string {
  const out: string[] = [];
  for (let i = 0; i < seqs.length && out.length < max; ) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    out.push(i === j ? `${seqs[i]}` : `${seqs[i]}–${seqs[j]}`);
    i = j + 1;
  }
  return out.join(', ') + (out.length === max ? ', …' : '');
}

/**
 * Runs the plan under `tailer` (following `dir`, the folder the log is in) and asserts: no line delivered twice,
 * every whole line on disk delivered, nothing delivered that the writer did not write. The counts go to the
 * test's diagnostics; a failure names the files and sources involved.
 */
export async function proveEveryLineOnce(
  t: TestContext,
  plan: RotationPlan,
  follow: (dir: string) => Promise<TailerUnderTest>,
): Promise<void> {
  requireLogrotate();
  const root = await testDir(t, `tailwatch-logrotate-${plan.mode}-`);
  // Config and state beside the followed folder, not in it.
  const dir = join(root, 'logs');
  await mkdir(dir);
  const path = join(dir, 'app.log');
  await writeFile(path, '');
  const tailer = await follow(dir);
  const writer = await startWriter(t, path, plan.mode, plan.linesPerSecond);
  const config = join(root, 'logrotate.conf');
  const state = join(root, 'logrotate.state');
  await writeFile(config, logrotateConfig(path, plan.mode, plan.keep, writer.pid), { mode: 0o644 });

  const random = new Random(plan.seed);
  const startedAt = Date.now();
  let rotations = 0;
  let gzipSawWrites = 0;
  for (;;) {
    await delay(random.int(plan.pauseMs[0], plan.pauseMs[1]));
    if (Date.now() - startedAt >= plan.durationMs) break;
    if (await forceRotation(config, state, plan.mode)) gzipSawWrites++;
    rotations++;
  }
  const { written } = await writer.stop();
  const writtenFor = Date.now() - startedAt;
  await settle(tailer, tailer.settleMs, 1000, tailer.settleMs + 15_000);

  const disk = await readLinesOnDisk(dir);
  const deliveries = tailer.deliveries();
  const writtenTexts = new Set(Array.from({ length: written }, (_, i) => writerLine(plan.mode, i + 1)));
  const byText = new Map<string, Delivery[]>();
  for (const d of deliveries) byText.set(d.text, [...(byText.get(d.text) ?? []), d]);

  const duplicates = [...byText].filter(([, copies]) => copies.length > 1);
  const extraCopies = duplicates.reduce((sum, [, copies]) => sum + copies.length - 1, 0);
  const missing = [...disk.lines.keys()].filter((text) => !byText.has(text));
  // A tail logrotate's copy caught half written is on disk as it is: delivered, it is what the file holds.
  // So is one of a copy a later rotation deleted: the start of a written line that is itself on no disk and
  // was never delivered (its rest went with the truncation: logrotate's copytruncate window).
  const tornOfDeleted = (text: string) =>
    [...writtenTexts].some((full) => full.length > text.length && full.startsWith(text) && !disk.lines.has(full) && !byText.has(full));
  const isTorn = (text: string) => disk.tornTails.has(text) || tornOfDeleted(text);
  const tornDelivered = [...byText.keys()].filter((text) => !writtenTexts.has(text) && isTorn(text));
  const notWritten = deliveries.filter((d) => !writtenTexts.has(d.text) && !isTorn(d.text));
  const onNoDisk = [...writtenTexts].filter((text) => !disk.lines.has(text));
  const onNoDiskDelivered = onNoDisk.filter((text) => byText.has(text)).length;

  const name = (p: string) => basename(p);
  t.diagnostic(`${plan.mode} under ${tailer.label}`);
  t.diagnostic(
    `${rotations} rotations in ${(writtenFor / 1000).toFixed(1)} s (pauses ${plan.pauseMs[0]}–${plan.pauseMs[1]} ms, seed 0x${plan.seed.toString(16)}); ` +
      `${count(written)} lines written at ${count(plan.linesPerSecond)}/s; ${count(disk.lines.size)} on disk at the end; ` +
      `${count(deliveries.length)} delivered (${count(byText.size)} distinct)`,
  );
  t.diagnostic(
    `${count(duplicates.length)} lines delivered more than once (${count(extraCopies)} extra copies); ${count(missing.length)} on disk never delivered; ` +
      `${count(notWritten.length)} delivered never written; ${count(tornDelivered.length)} torn copy tails delivered; ` +
      `${count(onNoDisk.length)} written lines on no disk (deleted rotations, copytruncate's window, compressed away), ${count(onNoDiskDelivered)} of them delivered`,
  );
  if (gzipSawWrites > 0) t.diagnostic(`gzip found app.log.1 still being written (the writer had not reopened yet) in ${gzipSawWrites} of ${rotations} rotations`);
  t.diagnostic(`on disk: ${disk.files.map((f) => `${f.name} ${count(f.lines)} (seq ${f.first}–${f.last})`).join(', ')}`);
  for (const note of tailer.notes().slice(0, 10)) t.diagnostic(note);

  const problems: string[] = [];
  if (duplicates.length > 0) {
    const bySources = new Map<string, number>();
    for (const [, copies] of duplicates) {
      const key = copies.map((c) => name(c.path)).join(' + ');
      bySources.set(key, (bySources.get(key) ?? 0) + 1);
    }
    const first = duplicates
      .slice(0, 5)
      .map(([text, copies]) => `  writer seq ${seqOf(text)}: ${copies.map((c) => `${name(c.path)} #${c.seq}`).join(', ')}; on disk in ${disk.lines.get(text)?.join(', ') ?? 'none'}`);
    const seqs = duplicates.map(([text]) => seqOf(text) ?? -1).sort((a, b) => a - b);
    problems.push(
      `${count(duplicates.length)} lines delivered more than once (${count(extraCopies)} extra copies), by the sources they came from: ` +
        [...bySources].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${count(n)}`).join('; '),
      `  writer seqs ${ranges(seqs)}`,
      ...first,
    );
  }
  if (missing.length > 0) {
    const byFile = new Map<string, number[]>();
    for (const text of missing) for (const file of disk.lines.get(text)!) byFile.set(file, [...(byFile.get(file) ?? []), seqOf(text) ?? -1]);
    problems.push(
      `${count(missing.length)} lines on disk never delivered:`,
      ...[...byFile].map(([file, seqs]) => `  ${file}: ${count(seqs.length)}, writer seqs ${ranges(seqs.sort((a, b) => a - b))}`),
    );
  }
  if (notWritten.length > 0) {
    problems.push(
      `${count(notWritten.length)} lines delivered that the writer never wrote (torn or shifted):`,
      ...notWritten.slice(0, 5).map((d) => `  ${name(d.path)} #${d.seq}: ${JSON.stringify(d.text.slice(0, 120))}`),
    );
  }
  assert.ok(problems.length === 0, `${plan.mode}: ${rotations} rotations, ${count(written)} lines written\n${problems.join('\n')}`);
}
