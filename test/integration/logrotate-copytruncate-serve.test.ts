// The copytruncate case end to end: the built `serve` command follows the folder with its default timings, and
// an SSE client counts what it receives. Each line on disk must reach the client once, as in
// logrotate-copytruncate.test.ts, which runs the same rotations under LogSources in process.
import { before, test } from 'node:test';
import type { TestContext } from 'node:test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOG_TIMINGS } from '../../main/sources/logs/limits';
import { proveEveryLineOnce } from '../helpers/logrotate';
import type { Delivery, TailerUnderTest } from '../helpers/logrotate';
import { openSse } from '../helpers/sse-reader';
import { waitFor } from '../helpers/wait';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const TOKEN = 'logrotate-test-token-0123456789';

before(() => {
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--quiet']);
});

/** `tailwatch serve --dir <dir>` in a child, and an SSE client of its logs and sources; both stopped when the test ends. */
async function followThroughServe(t: TestContext, dir: string): Promise<TailerUnderTest> {
  const child = spawn(process.execPath, ['--max-semi-space-size=4', CLI, 'serve', '--dir', dir, '--port', '0', '--token', TOKEN]);
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const url = await waitFor(() => /listening on (http:\/\/\S+\/)/.exec(out)?.[1], `serve's startup line (stdout: ${out} stderr: ${err})`, 15_000);
  await waitFor(() => /^following \d+ files?/m.test(out), `serve following the folder (stdout: ${out})`, 15_000);
  const sse = await openSse(`${url}api/events?topics=logs,sources`, { Authorization: `Bearer ${TOKEN}` });
  t.after(() => sse.close());
  await sse.waitFor((events) => events.some((e) => e.type === 'hello'), 'hello');
  return {
    label: `tailwatch serve (default timings) through SSE`,
    activity: () => sse.events.length,
    deliveries() {
      const pathOf = new Map<string, string>();
      const out: Delivery[] = [];
      for (const e of sse.events) {
        if (e.type === 'hello') for (const s of e.sources) pathOf.set(s.id, s.path);
        else if (e.type === 'source') pathOf.set(e.source.id, e.source.path);
        else if (e.type === 'log') for (const l of e.lines) out.push({ text: l.text, path: pathOf.get(e.source) ?? e.source, seq: l.seq });
      }
      return out;
    },
    settleMs: LOG_TIMINGS.rotatedGraceMs + 2 * LOG_TIMINGS.safetyTickMs,
    notes: () => [
      ...sse.events.filter((e) => e.type === 'gap').map((e) => `gap: ${JSON.stringify(e)}`),
      ...err.split('\n').filter((l) => l !== '').map((l) => `serve: ${l}`),
    ],
  };
}

test('logrotate copytruncate through `serve` and SSE, forced every 0.15–0.45 s for 10 s under 3,000 lines/s: every line on disk received once', async (t) => {
  await proveEveryLineOnce(
    t,
    { mode: 'copytruncate', linesPerSecond: 3000, durationMs: 10_000, pauseMs: [150, 450], keep: 5, seed: 0x55e0 },
    (dir) => followThroughServe(t, dir),
  );
});
