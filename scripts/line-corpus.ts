// Writes the log files scripts/compare-versions.sh feeds to two versions of the tailer: generated access,
// JSON, syslog and stamped application logs, stack traces of several runtimes among log lines, and a
// deterministic jumble of every kind of line start, level spelling, colour code, quote, tab, CR, non-ASCII
// text, invalid UTF-8 and over-long line. Plus this machine's own logs under /var/log, when readable.
//   node --import tsx scripts/line-corpus.ts DIR
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RealisticLogs, stampedLine } from '../bench/log-lines';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: line-corpus.ts DIR\n');
  process.exit(2);
}
await mkdir(dir, { recursive: true });

let seed = 7;
const random = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;

const realistic = new RealisticLogs(3);
await writeFile(join(dir, 'realistic.log'), Array.from({ length: 150_000 }, () => realistic.next() + '\n').join(''));
await writeFile(join(dir, 'stamped.log'), Array.from({ length: 150_000 }, (_, i) => stampedLine(i + 1) + '\n').join(''));

const TRACES = [
  `2026-12-07 10:00:00.123 ERROR 4242 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception
java.lang.IllegalStateException: boom
\tat com.example.Foo.bar(Foo.java:42)
\tat com.example.Foo.main(Foo.java:7)
Caused by: java.io.IOException: disk full
\tat com.example.Disk.write(Disk.java:9)
\t... 2 more`,
  `2026-12-07 10:00:01,000 ERROR app: request failed
Traceback (most recent call last):
  File "/srv/app.py", line 10, in handle
    do_it()
  File "/srv/app.py", line 5, in do_it
    raise ValueError("bad")
ValueError: bad

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/srv/app.py", line 12, in handle
    raise RuntimeError("worse") from None
RuntimeError: worse`,
  `panic: runtime error: index out of range [3] with length 3

goroutine 1 [running]:
main.main()
\t/srv/main.go:8 +0x1d
exit status 2`,
  `/srv/index.js:3
  throw new Error('nope');
  ^

Error: nope
    at Object.<anonymous> (/srv/index.js:3:9)
    at Module._compile (node:internal/modules/cjs/loader:1256:14) {
  [cause]: Error: inner
      at Object.<anonymous> (/srv/index.js:2:15)
}

Node.js v20.20.2`,
  `[2026-12-07T10:00:02.000Z] WARN  retrying
System.InvalidOperationException: Sequence contains no elements
   at System.Linq.Enumerable.First[TSource](IEnumerable\`1 source)
   --- End of inner exception stack trace ---
   at Program.Main() in /srv/Program.cs:line 12`,
];
const STARTS = [
  '2026-12-07T10:00:00.000Z ', '2026-12-07 10:00:00,123 ', '2026/12/07 10:00:00 ', 'Dec  7 10:00:00 host app[12]: ', '<13>Dec 07 10:00:00 host app: ',
  '<165>1 2026-12-07T10:00:00.003Z host app 1 ID47 - ', 'I1207 10:00:00.123456   123 main.go:1] ', 'E1207 10:00:00.123456 ', '10.0.0.1 - - [07/Dec/2026:10:00:00 +0100] ',
  '{"time":"2026-12-07T10:00:00Z","level":"warn","msg":"', '{"level":50,"time":1765101600000,"msg":"', '{"ts":1765101600.5,"status":503,"msg":"', 'time="2026-12-07T10:00:00+01:00" level=error msg="',
  'ts=2026-12-07T10:00:00Z lvl=dbug ', '[2026-12-07 10:00:00] ', '[INFO] 2026-12-07 10:00:00 ', 'WARN 2026-12-07T10:00:00Z ', 'web-1  | 2026-12-07T10:00:00Z ', '\x1b[2m2026-12-07T10:00:00Z\x1b[0m ',
  '1765101600 ', '1765101600123 ', '  ', '\t', '', 'Caused by: ', '    at x (y.js:1:1)', '... 3 more', '---> ',
];
const WORDS = ['INFO', 'info', 'Warn', 'WARNING', 'ERR', 'error', 'ERRORS', 'CRIT', 'critical', 'DPANIC', 'panic', 'emerg', 'fatal', 'trace', 'debug', 'notice', 'level=info', 'status=404', 'status="503"',
  '"GET /error HTTP/1.1" 502 12', '"POST /x HTTP/2" 201 0', '\x1b[31mERROR\x1b[0m', '\x1b[33MWARN', 'say "hi"', 'back\\slash', 'tab\there', 'lone\rCR', 'café', '日本語', '😀', '\u2028', 'DEL\x7f', 'NUL\x00',
  'x'.repeat(300), 'user=bob', 'msg="an error" level=info', ' ', '=', '"', '{', '}'];
const jumble: Buffer[] = [];
for (let i = 0; i < 60_000; i++) {
  if (random(40) === 0) {
    jumble.push(Buffer.from(pick(TRACES) + '\n'));
    continue;
  }
  let line = pick(STARTS);
  for (let w = random(12); w > 0; w--) line += pick(WORDS) + (random(3) ? ' ' : '');
  const bytes = Buffer.from(line);
  if (random(200) === 0) jumble.push(Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]));
  jumble.push(bytes, Buffer.from(random(10) === 0 ? '\r\n' : '\n'));
  if (random(2000) === 0) jumble.push(Buffer.from('y'.repeat(70_000 + random(70_000)) + '\n'));
}
jumble.push(Buffer.from('an unfinished last line'));
await writeFile(join(dir, 'jumble.log'), Buffer.concat(jumble));

for (const name of await readdir('/var/log').catch(() => [])) {
  if (!name.endsWith('.log')) continue;
  await copyFile(join('/var/log', name), join(dir, `var-log-${name}`)).catch(() => {});
}
