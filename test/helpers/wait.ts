// Waiting for a condition instead of sleeping a fixed time: tests assert behaviour, not timing, so a slow
// machine only makes a test slower, not red.
export const WAIT_TIMEOUT_MS = 10_000;
const WAIT_POLL_MS = 20;

/**
 * Polls `check` until it returns a value (not undefined, false or null) and returns that. On timeout the
 * error names `what` and, when given, the last value `lastSeen` reports.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = WAIT_TIMEOUT_MS,
  lastSeen?: () => unknown,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline) {
      const detail = lastSeen ? `; last seen: ${JSON.stringify(await lastSeen())?.slice(0, 2000)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  }
}
