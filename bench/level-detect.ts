// detectLevel's CPU cost per line (ns), by kind of line: it runs on every line read, so a change to level.ts is
// measured here before and after, by hand; not part of `npm run bench`. Give several modules (a copy of the old
// level.ts, say) to compare them: their rounds alternate, so a busy machine slows each alike.
//   node --import tsx bench/level-detect.ts [module exporting detectLevel …, default main/sources/logs/level.ts]
import { pathToFileURL } from 'node:url';
import { fixedLine, RealisticLogs, stampedLine } from './log-lines';

const LINES_PER_KIND = 1_000_000;
const ROUNDS = 15;

/** Lines as the tools print them, the formats level.ts names; cycled to fill a kind. */
const TOOL_LINES = [
  '\x1b[31mERROR\x1b[0m failed to reach redis',
  '[12:00:00.000] \x1b[32mINFO\x1b[39m (123): listening on :3000',
  '2026-12-07 05:00:00.123 \x1b[34mINFO \x1b[0;39m 1234 --- [main] o.s.b.SpringApplication : Started',
  '\x1b[32minfo\x1b[39m: request served',
  'example.com:443 1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET /index.html HTTP/2.0" 404 0',
  '{"level":"info","ts":1796706000.1,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"1.2.3.4","method":"GET","uri":"/"},"status":200}',
  '{"ClientHost":"1.2.3.4","DownstreamContentSize":21,"DownstreamStatus":502,"Duration":1234,"RequestMethod":"GET","RequestPath":"/","level":"info","msg":""}',
  '2026/12/07 05:00:00 [error] 123#0: *1 connect() failed (111: Connection refused) while connecting to upstream',
  'E, [2026-12-07T05:00:00.123456 #123] ERROR -- : boom',
  'WARNING:root:disk almost full',
  'E1207 05:00:00.123456       1 main.go:10] boom',
  'INFO:     127.0.0.1:51234 - "GET /items/7 HTTP/1.1" 500 Internal Server Error',
  'method=GET path=/orders/7 format=html controller=OrdersController action=show status=404 duration=3.10',
];

type Detect = (text: string) => string | undefined;

const paths = process.argv.length > 2 ? process.argv.slice(2) : [new URL('../main/sources/logs/level.ts', import.meta.url).pathname];
const detects: Detect[] = [];
for (const path of paths) detects.push(((await import(pathToFileURL(path).href)) as { detectLevel: Detect }).detectLevel);

const realistic = new RealisticLogs(7);
const kinds: Record<string, (i: number) => string> = {
  'plain (throughput lines)': (i) => fixedLine(i + 1),
  'stamped (level word)': (i) => stampedLine(i + 1),
  'realistic (nginx, JSON, syslog)': () => realistic.next(),
  'tool formats (ANSI, access, …)': (i) => TOOL_LINES[i % TOOL_LINES.length]!,
};
const kindsSoFar = Object.values(kinds);
kinds['all of the above, interleaved'] = (i) => kindsSoFar[i % kindsSoFar.length]!(i);

/** Counts the levels found, so the calls are not optimised away. */
let sink = 0;
const rows: string[] = [];
for (const [name, lineOf] of Object.entries(kinds)) {
  const lines = Array.from({ length: LINES_PER_KIND }, (_, i) => lineOf(i));
  const times = detects.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    detects.forEach((detectLevel, k) => {
      // CPU time, not wall time: on a shared machine the process is descheduled now and then.
      const start = process.cpuUsage();
      for (const line of lines) if (detectLevel(line) !== undefined) sink++;
      const { user, system } = process.cpuUsage(start);
      times[k]!.push(((user + system) * 1000) / LINES_PER_KIND);
    });
  }
  const figures = times.map((t) => {
    t.sort((a, b) => a - b);
    return `${t[Math.floor(ROUNDS / 2)]!.toFixed(0).padStart(5)} ns (best ${t[0]!.toFixed(0).padStart(4)})`;
  });
  rows.push(`${name.padEnd(34)} ${figures.join('   ')}`);
}
console.log(`median CPU ns/line of ${ROUNDS} rounds over ${LINES_PER_KIND} lines, per module: ${paths.join(', ')}`);
console.log(rows.join('\n'));
console.log(`(${sink} levels found)`);
