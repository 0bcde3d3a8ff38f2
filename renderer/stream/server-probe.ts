// Tells "the server is down" from "this transport cannot get through": only the second should make the
// stream client give up a transport for a slower one.

/** The health route needs no token, so the probe works even before the cookie is set. */
const HEALTH_URL = '/api/health';
const PROBE_TIMEOUT_MS = 3_000;

export async function serverReachable(): Promise<boolean> {
  if (!navigator.onLine) return false;
  try {
    const response = await fetch(HEALTH_URL, { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}
