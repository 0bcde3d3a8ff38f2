// Tells "the server is down" from "this transport cannot get through": only the second should make the
// stream client give up a transport for a slower one.
import { apiUrl, requestCredentials, type ServerEndpoint } from './server-endpoint';

const PROBE_TIMEOUT_MS = 3_000;

/** The health route needs no token, so the probe works even before the cookie is set. */
export async function serverReachable(server: ServerEndpoint): Promise<boolean> {
  if (!navigator.onLine) return false;
  try {
    const response = await fetch(apiUrl(server, '/api/health'), {
      cache: 'no-store',
      credentials: requestCredentials(server),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return response.ok;
  } catch {
    return false;
  }
}
