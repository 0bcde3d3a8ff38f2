// The real logrotate with `create` and `compress`, no delaycompress: app.log.1 is gzipped (app.log.1.gz) right
// after the postrotate script told the writer to reopen (SIGUSR1). Compressed files are not followed (their
// bytes are not lines), so each line must have been delivered from app.log or app.log.1 before; the .gz files
// are read back for the check. Lines the writer put in app.log.1 after gzip read it are on no disk.
import { test } from 'node:test';
import { followInProcess, proveEveryLineOnce } from '../helpers/logrotate';

test('logrotate create + compress, forced every 0.15–0.45 s for 10 s under 3,000 lines/s: every line on disk delivered once', async (t) => {
  await proveEveryLineOnce(
    t,
    { mode: 'compress', linesPerSecond: 3000, durationMs: 10_000, pauseMs: [150, 450], keep: 5, seed: 0xc0335 },
    (dir) => followInProcess(t, dir),
  );
});
