// The real logrotate with `create`, `compress` and `delaycompress`: app.log.1 stays plain (and followed) until
// the next rotation gzips it to app.log.2.gz; the writer reopens on SIGUSR1 from the postrotate script. Each
// line on disk, gzipped ones included, delivered once.
import { test } from 'node:test';
import { followInProcess, proveEveryLineOnce } from '../helpers/logrotate';

test('logrotate create + compress + delaycompress, forced every 0.15–0.45 s for 10 s under 3,000 lines/s: every line on disk delivered once', async (t) => {
  await proveEveryLineOnce(
    t,
    { mode: 'delaycompress', linesPerSecond: 3000, durationMs: 10_000, pauseMs: [150, 450], keep: 5, seed: 0xde1a7 },
    (dir) => followInProcess(t, dir),
  );
});
