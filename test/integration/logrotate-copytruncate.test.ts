// The real logrotate with `copytruncate`, forced three or four times a second while the writer appends through one
// O_APPEND fd it never reopens, under a --dir that follows app.log.1 … too: each line on disk delivered once.
// Lines written between logrotate's copy and its truncation are on no disk, so they are not required.
import { test } from 'node:test';
import { followInProcess, proveEveryLineOnce } from '../helpers/logrotate';

test('logrotate copytruncate, forced every 0.15–0.45 s for 10 s under 3,000 lines/s: every line on disk delivered once', async (t) => {
  await proveEveryLineOnce(
    t,
    { mode: 'copytruncate', linesPerSecond: 3000, durationMs: 10_000, pauseMs: [150, 450], keep: 5, seed: 0xc0971 },
    (dir) => followInProcess(t, dir),
  );
});
