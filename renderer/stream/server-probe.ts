// Tells "the server is down" from "this transport cannot get through": only the second should make the
// stream client give up a transport for a slower one.
import type { ServerEndpoint } from '../worker-channel/worker-protocol';
import { apiUrl, requestCredentials } from './server-endpoint';

/**
 * Whether the server answers its health route within `timeoutMs` (the stream client's probeTimeoutMs). The
 * route needs no token, so the probe works even before the cookie is set.
 */
export async function serverReachable(server: ServerEndpoint, timeoutMs: number): Promise<boolean> {
  if (!navigator.onLine) return false;
  try {
    const response = await fetch(apiUrl(server, '/api/health'), {
      cache: 'no-store',
      credentials: requestCredentials(server),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok;
  } catch {
    return false;
  }
}
