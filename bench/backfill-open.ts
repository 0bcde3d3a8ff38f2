// Tailer figure 2: what starting to follow a file costs with backfill 1000, for a 1 GiB file and a 1 MiB one.
// Timed from `new LogSources` (and its hub) to `start()` resolving, which is after the backfill's lines were
// handed to the sink; the median of alternating runs after one warm-up of each. Both files were just written,
// so their ends are in the page cache: this is the tailer's own cost, not the disk's.
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAppender, stampedLine } from './log-lines';
import { sourceIdOf } from '../main/sources/logs/source-id';
import { createTailer } from './tailer-bed';
import { hrNow, makeTempDir, MiB, percentile, sleep } from './util';
import { DEFAULTS } from '../main/app/options';
import { LogSources } from '../main/sources/logs/log-sources';

export interface OpenTiming {
  label: string;
  fileBytes: number;
  /** Each run's ms, in the order run (warm-up excluded). */
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Runs whose sink did not get exactly the last `backfill` lines (seq 1..backfill, the file's last line last). */
  wrongBackfills: number;
  firstWrong: string | null;
}

/** `before=` pages of 1,000 lines read back from the first line read (GET /api/lines, as LogSources.lines). */
export interface PageTiming {
  label: string;
  /** Each page's ms, newest page first, round after round. */
  pagesMs: number[];
  medianMs: number;
  /** Pages whose lines were not the 1,000 just before (by seq and by text). */
  wrongPages: number;
}

export type BackfillOpenResult =
  | { skipped: string }
  | {
      skipped: null;
      backfill: number;
      big: OpenTiming;
      small: OpenTiming;
      ratio: number;
      buildMs: number;
      pages: { big: PageTiming; small: PageTiming; ratio: number };
      live: LiveWhilePaging;
      warnings: string[];
    };

/** Live lines appended per phase, one every LIVE_EVERY_MS, to see whether paging back slows them. */
const LIVE_LINES = 50;
const LIVE_EVERY_MS = 20;

export interface LiveWhilePaging {
  /** Append → the sink, ms: while nothing else runs, and while pages of the 1 GiB file are read back without pause. */
  idle: { p50: number; p99: number };
  paging: { p50: number; p99: number; pages: number };
}

/**
 * History never waits for the live tail, nor the live tail for history: a live file's lines, appended while
 * another file of the same tailer is paged back as fast as it answers, arrive as fast as when nothing else runs.
 */
async function liveWhilePaging(big: string, dir: string): Promise<LiveWhilePaging> {
  const live = join(dir, 'live.log');
  const out = await openAppender(live);
  const liveId = sourceIdOf(live);
  const writtenAt = new Map<string, number>();
  const latencies: number[] = [];
  const sources = new LogSources(
    { ...DEFAULTS, file: [big, live], backfill: BACKFILL },
    {
      appendLines: (source, lines) => {
        if (source !== liveId) return;
        for (const line of lines) {
          const at = writtenAt.get(line.text);
          if (at !== undefined) latencies.push(hrNow() - at);
        }
      },
      sourceChanged: () => undefined,
      warn: () => undefined,
    },
  );
  const phase = async (label: string) => {
    latencies.length = 0;
    for (let i = 0; i < LIVE_LINES; i++) {
      const text = `${label} live line ${i}`;
      writtenAt.set(text, hrNow());
      await out.write(Buffer.from(`${text}\n`));
      await sleep(LIVE_EVERY_MS);
    }
    await sleep(200);
    const sorted = [...latencies].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  try {
    await sources.start();
    const idle = await phase('idle');
    let paging = true;
    let pages = 0;
    const pager = (async () => {
      for (let before = 1; paging; before -= 1000, pages++) {
        const answer = await sources.lines({ source: sourceIdOf(big), before, limit: 1000 });
        if (!('lines' in answer) || answer.start) before = 1001; // from the top again
      }
    })();
    const busy = await phase('paging');
    paging = false;
    await pager;
    return { idle, paging: { ...busy, pages } };
  } finally {
    await out.close();
    await sources.close();
  }
}

/** Pages timed per file and round: the 1 MiB file holds about 9 pages before its backfill. */
const PAGES = 8;
/** Rounds of pages per file, alternating the files (the first round of each is a warm-up, not counted). */
const PAGE_ROUNDS = 6;

/** Follows the file (backfill 1000), then reads PAGES pages of 1,000 older lines, one after the other. */
async function timePages(path: string): Promise<{ pagesMs: number[]; wrongPages: number }> {
  const tailer = createTailer({ file: [path], backfill: BACKFILL });
  const pagesMs: number[] = [];
  let wrongPages = 0;
  try {
    await tailer.sources.start();
    const source = sourceIdOf(path);
    let before = 1;
    for (let i = 0; i < PAGES; i++) {
      const t0 = hrNow();
      const answer = await tailer.sources.lines({ source, before, limit: 1000 });
      pagesMs.push(hrNow() - t0);
      const lines = 'lines' in answer ? answer.lines : [];
      const ordered = lines.length === 1000 && lines.every((line, k) => line.seq === before - 1000 + k && (k === 0 || line.text !== lines[k - 1]!.text));
      if (!ordered) wrongPages++;
      before -= 1000;
    }
  } finally {
    await tailer.close();
  }
  return { pagesMs, wrongPages };
}

/** PAGE_ROUNDS rounds of each file's pages, alternating, so drift in the machine's state falls on both alike. */
async function timePagesOfBoth(big: string, small: string): Promise<{ big: PageTiming; small: PageTiming }> {
  const rounds = { big: [] as { pagesMs: number[]; wrongPages: number }[], small: [] as { pagesMs: number[]; wrongPages: number }[] };
  for (let round = 0; round < PAGE_ROUNDS; round++) {
    const bigRound = await timePages(big);
    const smallRound = await timePages(small);
    if (round === 0) continue;
    rounds.big.push(bigRound);
    rounds.small.push(smallRound);
  }
  const summary = (label: string, of: { pagesMs: number[]; wrongPages: number }[]): PageTiming => {
    const pagesMs = of.flatMap((r) => r.pagesMs);
    const sorted = [...pagesMs].sort((a, b) => a - b);
    return { label, pagesMs, medianMs: percentile(sorted, 50), wrongPages: of.reduce((sum, r) => sum + r.wrongPages, 0) };
  };
  return { big: summary('1 GiB', rounds.big), small: summary('1 MiB', rounds.small) };
}

const BIG_BLOCKS = 1024;
const BACKFILL = 1000;
const RUNS = 15;
/** The 1 GiB file, its 1 MiB sibling and room to spare: under this much free space the figure is skipped. */
const MIN_FREE_BYTES = 3e9;

/** Exactly 1 MiB of whole lines: stamped lines, then one line of filler to fill it to the byte. */
function buildBlock(): { block: Buffer; lastLine: string } {
  const lines: string[] = [];
  let bytes = 0;
  for (let seq = 1; ; seq++) {
    const line = stampedLine(seq);
    if (bytes + line.length + 1 > MiB - 200) break;
    lines.push(line);
    bytes += line.length + 1;
  }
  const lastLine = `${stampedLine(lines.length + 1).slice(0, 52)} padding`.padEnd(MiB - bytes - 1, '.');
  lines.push(lastLine, '');
  const block = Buffer.from(lines.join('\n'), 'utf8');
  if (block.length !== MiB) throw new Error(`backfill-open: the block is ${block.length} bytes, not ${MiB}`);
  return { block, lastLine };
}

async function writeFileOfBlocks(path: string, block: Buffer, count: number): Promise<void> {
  const out = await openAppender(path);
  try {
    for (let i = 0; i < count; i++) await out.write(block);
  } finally {
    await out.close();
  }
}

/** One open: create the tailer, start it, check what the sink got, close it (closing is not timed). */
async function timeOpen(path: string, lastLine: string, warnings: string[]): Promise<{ ms: number; wrong: string | null }> {
  const t0 = hrNow();
  const tailer = createTailer({ file: [path], backfill: BACKFILL });
  try {
    await tailer.sources.start();
    const ms = hrNow() - t0;
    const tally = [...tailer.check.bySource.values()];
    const got = tally[0];
    let wrong: string | null = null;
    if (tally.length !== 1 || !got) wrong = `${tally.length} sources got lines`;
    else if (got.lines !== BACKFILL || got.missing || got.repeated) wrong = `${got.lines} lines (missing ${got.missing}, repeated ${got.repeated})`;
    else if (got.lastText !== lastLine) wrong = `last line ${JSON.stringify(got.lastText.slice(0, 60))}`;
    warnings.push(...tailer.check.warnings);
    return { ms, wrong };
  } finally {
    await tailer.close();
  }
}

function timing(label: string, fileBytes: number, runs: { ms: number; wrong: string | null }[]): OpenTiming {
  const runsMs = runs.map((r) => r.ms);
  const sorted = [...runsMs].sort((a, b) => a - b);
  const wrong = runs.filter((r) => r.wrong !== null);
  return {
    label,
    fileBytes,
    runsMs,
    medianMs: percentile(sorted, 50),
    minMs: sorted[0] ?? NaN,
    maxMs: sorted[sorted.length - 1] ?? NaN,
    wrongBackfills: wrong.length,
    firstWrong: wrong[0]?.wrong ?? null,
  };
}

export async function runBackfillOpen(): Promise<BackfillOpenResult> {
  const fs = await statfs(tmpdir());
  const free = fs.bavail * fs.bsize;
  if (free < MIN_FREE_BYTES) {
    return { skipped: `only ${(free / 1e9).toFixed(1)} GB free in ${tmpdir()} (needs 3 GB): skipped` };
  }
  const { block, lastLine } = buildBlock();
  const dir = await makeTempDir('backfill-open');
  try {
    const big = join(dir.path, 'big.log');
    const small = join(dir.path, 'small.log');
    const b0 = hrNow();
    await writeFileOfBlocks(big, block, BIG_BLOCKS);
    const buildMs = hrNow() - b0;
    await writeFileOfBlocks(small, block, 1);

    const warnings: string[] = [];
    await timeOpen(big, lastLine, warnings);
    await timeOpen(small, lastLine, warnings);
    const bigRuns: { ms: number; wrong: string | null }[] = [];
    const smallRuns: { ms: number; wrong: string | null }[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternating, so drift in the machine's state (other load, caches) falls on both alike.
      bigRuns.push(await timeOpen(big, lastLine, warnings));
      smallRuns.push(await timeOpen(small, lastLine, warnings));
    }
    const bigTiming = timing('1 GiB', BIG_BLOCKS * MiB, bigRuns);
    const smallTiming = timing('1 MiB', MiB, smallRuns);
    const { big: bigPages, small: smallPages } = await timePagesOfBoth(big, small);
    const live = await liveWhilePaging(big, dir.path);
    return {
      live,
      pages: { big: bigPages, small: smallPages, ratio: bigPages.medianMs / smallPages.medianMs },
      skipped: null,
      backfill: BACKFILL,
      big: bigTiming,
      small: smallTiming,
      ratio: bigTiming.medianMs / smallTiming.medianMs,
      buildMs,
      warnings: [...new Set(warnings)],
    };
  } finally {
    await dir.remove();
  }
}
