// The real logrotate with `create` and `dateext` (app.log-YYYYMMDD-HHMMSS, matched by the default `*.log-[0-9]*`),
// the writer reopening on SIGUSR1 from the postrotate script. logrotate names a rotation to the second at best
// and skips one whose name exists already, so here runs are more than a second apart (the other modes rotate
// about four times as often). Each line on disk delivered once.
import { test } from 'node:test';
import { followInProcess, proveEveryLineOnce } from '../helpers/logrotate';

test('logrotate create + dateext, forced every 1.1–1.4 s for 10 s under 3,000 lines/s: every line on disk delivered once', async (t) => {
  await proveEveryLineOnce(
    t,
    { mode: 'dateext', linesPerSecond: 3000, durationMs: 10_000, pauseMs: [1100, 1400], keep: 5, seed: 0xda7e },
    (dir) => followInProcess(t, dir),
  );
});
