// The real logrotate with `create`, forced three or four times a second: app.log renamed to app.log.1, a new app.log
// created, and the writer told to reopen by the postrotate script (SIGUSR1), so it writes on to the renamed
// file for a moment. Under a --dir that follows app.log.1 … too: each line on disk delivered once.
import { test } from 'node:test';
import { followInProcess, proveEveryLineOnce } from '../helpers/logrotate';

test('logrotate create + reopen on SIGUSR1, forced every 0.15–0.45 s for 10 s under 3,000 lines/s: every line on disk delivered once', async (t) => {
  await proveEveryLineOnce(
    t,
    { mode: 'create', linesPerSecond: 3000, durationMs: 10_000, pauseMs: [150, 450], keep: 5, seed: 0xc4ea7e },
    (dir) => followInProcess(t, dir),
  );
});
