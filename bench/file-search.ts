// Searching the files on disk (GET /api/search): our scan against GNU grep on the same ~256 MiB log of realistic
// lines, as bytes/s, for a rare word, a common word (both cases of smart case) and a regex. Ours counts matching
// lines as `grep -c` does (countMatches: the same scan as a search, without the lines' text); each query is run
// RUNS times, grep and ours interleaved so that load from elsewhere falls on both alike; the median is shown.
// The file was just written, so it is in the page cache: this is scanning speed, not the disk's. Beside wall
// time, CPU time (user + system, every thread: ours from process.cpuUsage, grep's from bash's `times`) is shown:
// on a machine shared with other work it says more about the code than wall time does.
// The goal (the issue's): at least half of grep's bytes/s for plain text.
//   node --import tsx bench/file-search.ts
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { countMatches } from '../main/sources/logs/file-search';
import { parseSearchQuery } from '../main/sources/logs/search-query';
import { openAppender, RealisticLogs } from './log-lines';
import { fmtInt, fmtNum, hrNow, makeTempDir, MiB, percentile, printTable } from './util';

const GREP = '/usr/bin/grep';
const RUNS = 3;
/** Lines generated once and written over and over: generating them is slower than scanning them. */
const UNIQUE_BYTES = 64 * MiB;
const COPIES = 4;
/** A word no generated line holds, put in one line of every this many: a rare word with a known count. */
const RARE_WORD = 'OOMKilled';
const RARE_EVERY = 100_000;
/** The goal: our bytes/s at least this share of grep's, for plain text. */
export const FILE_SEARCH_GOAL_RATIO = 0.5;

/** One side's runs: wall and CPU ms of each, and bytes/s of their medians. */
export interface Timing {
  count: number;
  runsMs: number[];
  runsCpuMs: number[];
  bytesPerS: number;
  cpuBytesPerS: number;
}

export interface GrepSide extends Timing {
  /** The locale grep ran in: `C`, or the default one of this environment. */
  locale: string;
}

export interface FileSearchRow {
  label: string;
  /** What we searched for (`q`) and the grep arguments for the same lines. */
  query: string;
  grepArgs: string[];
  plainText: boolean;
  ours: Timing;
  grep: GrepSide[];
  /** Our bytes/s over grep's, per grep locale (same order as `grep`), by wall time and by CPU time. */
  ratios: number[];
  cpuRatios: number[];
  countsAgree: boolean;
}

export type FileSearchBenchResult = { skipped: string } | { skipped: null; fileBytes: number; lines: number; buildMs: number; rows: FileSearchRow[] };

const QUERIES: { label: string; query: string; grepArgs: string[]; plainText: boolean }[] = [
  { label: 'rare word, case-sensitive', query: RARE_WORD, grepArgs: ['-c', '-F', RARE_WORD], plainText: true },
  { label: 'rare word, any case', query: RARE_WORD.toLowerCase(), grepArgs: ['-c', '-F', '-i', RARE_WORD.toLowerCase()], plainText: true },
  { label: 'common word, case-sensitive', query: 'GET', grepArgs: ['-c', '-F', 'GET'], plainText: true },
  { label: 'common word, any case', query: 'get', grepArgs: ['-c', '-F', '-i', 'get'], plainText: true },
  { label: 'no match, any case', query: 'zqxj', grepArgs: ['-c', '-F', '-i', 'zqxj'], plainText: true },
  { label: 'regex', query: '/ECONN\\w+|ETIMEDOUT/', grepArgs: ['-c', '-E', 'ECONN\\w+|ETIMEDOUT'], plainText: false },
];

/** Writes the log: UNIQUE_BYTES of realistic lines (RARE_WORD in one of every RARE_EVERY), COPIES times. */
async function writeLog(path: string): Promise<{ bytes: number; lines: number }> {
  const gen = new RealisticLogs(20251207);
  const parts: string[] = [];
  let bytes = 0;
  for (let i = 1; bytes < UNIQUE_BYTES; i++) {
    let line = gen.next();
    if (i % RARE_EVERY === 0) line += ` reason=${RARE_WORD}`;
    parts.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  const block = Buffer.from(parts.join('\n') + '\n');
  const out = await openAppender(path);
  try {
    for (let i = 0; i < COPIES; i++) await out.write(block);
  } finally {
    await out.close();
  }
  return { bytes: block.length * COPIES, lines: parts.length * COPIES };
}

interface Run {
  count: number;
  ms: number;
  cpuMs: number;
}

/** `0m1.234s` (bash's `times`) in ms. */
const bashTimeMs = (text: string) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(text);
  return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN;
};

/** grep run by bash, whose `times` then prints the CPU time of its children: grep's. */
function runGrep(args: string[], path: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const t0 = hrNow();
  const script = '"$0" "$@"; status=$?; times; [ $status -le 1 ]';
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script, GREP, ...args, path], { env }, (err, stdout) => {
      const ms = hrNow() - t0;
      if (err) return reject(err);
      // The count, then `times`: the shell's user and system time, then its children's.
      const lines = stdout.trim().split('\n');
      const [user, system] = (lines[lines.length - 1] ?? '').split(' ');
      resolve({ count: Number(lines[0]), ms, cpuMs: bashTimeMs(user ?? '') + bashTimeMs(system ?? '') });
    });
  });
}

async function runOurs(query: string, path: string): Promise<Run> {
  const file = await open(path, 'r');
  try {
    const t0 = hrNow();
    const cpu0 = process.cpuUsage();
    const summary = await countMatches(file, parseSearchQuery(query), { maxLineBytes: 64 * 1024, maxScanBytes: Infinity, timeoutMs: 600_000 });
    const cpu = process.cpuUsage(cpu0);
    return { count: summary.matches, ms: hrNow() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await file.close();
  }
}

function timing(runs: Run[], bytes: number): Timing {
  return {
    count: runs[0]!.count,
    runsMs: runs.map((r) => r.ms),
    runsCpuMs: runs.map((r) => r.cpuMs),
    bytesPerS: bytes / (median(runs.map((r) => r.ms)) / 1000),
    cpuBytesPerS: bytes / (median(runs.map((r) => r.cpuMs)) / 1000),
  };
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

export async function runFileSearchBench(): Promise<FileSearchBenchResult> {
  const version = await new Promise<string | null>((resolve) => execFile(GREP, ['--version'], (err, out) => resolve(err ? null : out)));
  if (!version?.includes('GNU grep')) return { skipped: `${GREP} is not GNU grep (or is missing): skipped` };
  const defaultLocale = process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || 'C';
  const locales = [
    { locale: 'C', env: { ...process.env, LC_ALL: 'C' } },
    { locale: `${defaultLocale} (default)`, env: process.env },
  ];
  const dir = await makeTempDir('file-search');
  try {
    const path = join(dir.path, 'app.log');
    const b0 = hrNow();
    const { bytes, lines } = await writeLog(path);
    const buildMs = hrNow() - b0;
    await runOurs(RARE_WORD, path); // warm-up: JIT, and the whole file read once
    const rows: FileSearchRow[] = [];
    for (const q of QUERIES) {
      const ours: Run[] = [];
      const greps = locales.map(() => [] as Run[]);
      for (let run = 0; run < RUNS; run++) {
        for (const [i, { env }] of locales.entries()) greps[i]!.push(await runGrep(q.grepArgs, path, env));
        ours.push(await runOurs(q.query, path));
      }
      const mine = timing(ours, bytes);
      const grep = locales.map(({ locale }, i) => ({ locale, ...timing(greps[i]!, bytes) }));
      rows.push({
        ...q,
        ours: mine,
        grep,
        ratios: grep.map((g) => mine.bytesPerS / g.bytesPerS),
        cpuRatios: grep.map((g) => mine.cpuBytesPerS / g.cpuBytesPerS),
        countsAgree: [...ours, ...greps.flat()].every((r) => r.count === ours[0]!.count),
      });
    }
    return { skipped: null, fileBytes: bytes, lines, buildMs, rows };
  } finally {
    await dir.remove();
  }
}

const mbps = (bytesPerS: number) => fmtNum(bytesPerS / 1e6, 0);

export function printFileSearch(result: FileSearchBenchResult): void {
  if (result.skipped !== null) {
    console.log(result.skipped);
    return;
  }
  console.log(`${fmtInt(result.lines)} lines, ${fmtNum(result.fileBytes / MiB, 0)} MiB (written in ${fmtNum(result.buildMs / 1000, 1)} s); median of ${RUNS} runs; MB/s = 10^6 bytes/s`);
  const locales = result.rows[0]?.grep.map((g) => g.locale.split(' ')[0]!) ?? [];
  for (const [title, speed, ratio] of [
    ['by wall time', (t: Timing) => t.bytesPerS, (r: FileSearchRow) => r.ratios],
    ['by CPU time', (t: Timing) => t.cpuBytesPerS, (r: FileSearchRow) => r.cpuRatios],
  ] as const) {
    console.log(`\n${title}`);
    printTable(
      ['query', 'q', 'matches', 'ours MB/s', ...locales.flatMap((l) => [`grep ${l} MB/s`, `vs ${l}`]), 'counts'],
      result.rows.map((r) => [
        r.label,
        r.query,
        fmtInt(r.ours.count),
        mbps(speed(r.ours)),
        ...r.grep.flatMap((g, i) => [mbps(speed(g)), fmtNum(ratio(r)[i]!, 2)]),
        r.countsAgree ? 'agree' : 'DIFFER',
      ]),
    );
    const worst = Math.min(...result.rows.filter((r) => r.plainText).flatMap((r) => ratio(r)));
    console.log(`plain text: at least ${fmtNum(worst, 2)} of grep's bytes/s (goal ${FILE_SEARCH_GOAL_RATIO}): ${worst >= FILE_SEARCH_GOAL_RATIO ? 'met' : 'NOT met'}`);
  }
  console.log('\nruns (wall ms / CPU ms), ours then grep per locale:');
  for (const r of result.rows) {
    const runs = (t: Timing) => t.runsMs.map((ms, i) => `${fmtNum(ms, 0)}/${fmtNum(t.runsCpuMs[i]!, 0)}`).join(' ');
    console.log(`  ${r.label}: ours ${runs(r.ours)}; ${r.grep.map((g) => `grep ${g.locale.split(' ')[0]} ${runs(g)}`).join('; ')}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printFileSearch(await runFileSearchBench());
}
