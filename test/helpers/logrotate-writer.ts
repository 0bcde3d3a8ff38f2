// The application whose log logrotate rotates in logrotate-*.test.ts: appends numbered lines to one file at a
// steady rate through one O_APPEND fd, and reopens its path on SIGUSR1, as a daemon told by a postrotate script.
// Run as `node --import tsx test/helpers/logrotate-writer.ts <path> <label> <lines per second>`. It prints
// `ready` once the file is open, and on SIGTERM stops between two writes, closes the file and prints
// `{"written":N,"reopens":M}`: lines 1..N were written, whole, in order.
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Line `seq` of the writer labelled `label`: unique, and of varying length so a torn or shifted line is no other. */
export function writerLine(label: string, seq: number): string {
  return `${label} ${seq} ${'x'.repeat(20 + ((seq * 37) % 61))}`;
}

/** The seq in a line that looks like a writer's (for messages; whether it was written is for the caller). */
export function seqOf(text: string): number | null {
  const seq = / (\d+) x+$/.exec(text)?.[1];
  return seq === undefined ? null : Number(seq);
}

export interface WriterReport {
  written: number;
  reopens: number;
}

/** Writes are made this often, each with the lines due since the last: at 3,000 lines/s, about 30 at a time. */
const WRITE_EVERY_MS = 10;

function main(path: string, label: string, linesPerSecond: number): void {
  let fd = openSync(path, 'a');
  let written = 0;
  let reopens = 0;
  const startedAt = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) * linesPerSecond) / 1000);
    if (due <= written) return;
    let text = '';
    for (let seq = written + 1; seq <= due; seq++) text += writerLine(label, seq) + '\n';
    const bytes = Buffer.from(text);
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    written = due;
  }, WRITE_EVERY_MS);
  // Signal handlers run between two timer callbacks: a write is never cut by a reopen or by the stop.
  process.on('SIGUSR1', () => {
    closeSync(fd);
    fd = openSync(path, 'a');
    reopens++;
  });
  process.on('SIGTERM', () => {
    clearInterval(timer);
    closeSync(fd);
    const report: WriterReport = { written, reopens };
    process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(0));
  });
  process.stdout.write('ready\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, label, rate] = process.argv.slice(2);
  const linesPerSecond = Number(rate);
  if (!path || !label || !Number.isSafeInteger(linesPerSecond) || linesPerSecond < 1) {
    process.stderr.write(`usage: logrotate-writer.ts <path> <label> <lines per second>; got ${JSON.stringify(process.argv.slice(2))}\n`);
    process.exit(2);
  }
  main(path, label, linesPerSecond);
}
