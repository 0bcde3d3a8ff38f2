// app://tailwatch/: the window's pages come from the app's own files, not from the local server, so a
// process that grabbed the server's port could never hand the privileged window its code.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_ORIGIN, appContentSecurityPolicy } from '../desktop/app-csp';
import { resolveAppFile } from '../desktop/app-files';

export const APP_SCHEME = new URL(APP_ORIGIN).protocol.slice(0, -1);

/** Before `ready`: a standard, secure scheme (origin, localStorage, fetch, workers behave as on https). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves `rootDir` (dist/renderer) with the CSP that lets the page reach only the local server. */
export function serveAppFiles(rootDir: string, serverUrl: () => string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const headers = {
      'Content-Security-Policy': appContentSecurityPolicy(serverUrl()),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    };
    const found = await resolveAppFile(request.url, rootDir);
    if ('status' in found) {
      return new Response(found.reason, { status: found.status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    try {
      return new Response(await readFile(found.path), { headers: { ...headers, 'Content-Type': found.contentType } });
    } catch (err) {
      return new Response(`cannot read ${request.url}: ${(err as Error).message}`, {
        status: 404,
        headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
  });
}
