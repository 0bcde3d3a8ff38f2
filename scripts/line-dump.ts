// Prints every line the tailer makes of some log files, as JSON lines: what a change to the tailer must keep.
// The sink takes lines as the server does, the line kernel's included.
// Each file is appended, in chunks of varying size, to an empty file the real LogSources follows (the live
// path), then its lines are written out: seq, level, cont, cut, text, and ts — or "read" for a line whose time
// is the time it was read (it has none of its own and none before it in the file), which differs run to run.
// Used by scripts/compare-versions.sh, which runs this file in two checkouts on the same files.
//   node --import tsx scripts/line-dump.ts OUT.jsonl FILE…
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../main/app/options';
import { LogSources } from '../main/sources/logs/log-sources';
import type { LogLine } from '../protocol/events';

const [out, ...files] = process.argv.slice(2);
if (!out || files.length === 0) {
  process.stderr.write('usage: line-dump.ts OUT.jsonl FILE…\n');
  process.exit(2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function linesOf(content: Buffer): Promise<{ lines: LogLine[]; readFrom: number; readTo: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'tw-line-dump-'));
  const path = join(dir, 'app.log');
  await writeFile(path, '');
  const lines: LogLine[] = [];
  const sources = new LogSources(
    { ...DEFAULTS, file: [path], partialLineMs: 200 },
    {
      appendLines: (_id, batch) => void lines.push(...batch),
      // As the server takes them: the lines the line kernel writes, as their JSON (a tailer without one never calls it).
      appendEncoded: (_id: string, batch: { json: Buffer }) => void lines.push(...(JSON.parse(`[${batch.json.toString('latin1')}]`) as LogLine[])),
      sourceChanged: () => {},
      warn: () => {},
    },
  );
  const readFrom = Date.now();
  try {
    await sources.start();
    // Chunks of 1 byte to 256 KiB, the same every run: lines and UTF-8 characters split every way.
    let seed = 1;
    for (let at = 0; at < content.length; ) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const size = 1 + (seed % (seed & 1 ? 256 * 1024 : 300));
      await appendFile(path, content.subarray(at, at + size));
      at += size;
      if (seed % 7 === 0) await sleep(1);
    }
    // Until nothing more comes for a while (the last unfinished line is given out after partialLineMs).
    for (let before = -1; before !== lines.length; ) {
      before = lines.length;
      await sleep(600);
    }
  } finally {
    await sources.close();
    await rm(dir, { recursive: true, force: true });
  }
  return { lines, readFrom, readTo: Date.now() };
}

await writeFile(out, '');
for (const file of files) {
  const { lines, readFrom, readTo } = await linesOf(await readFile(file));
  const rows = lines.map((l) =>
    JSON.stringify({ file, seq: l.seq, ts: l.ts >= readFrom && l.ts <= readTo ? 'read' : l.ts, level: l.level ?? null, cont: l.cont ?? false, cut: l.cut ?? false, text: l.text }),
  );
  await appendFile(out, rows.join('\n') + (rows.length ? '\n' : ''));
  process.stderr.write(`${file}: ${lines.length} lines\n`);
}
