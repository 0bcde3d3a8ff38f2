// Which file an app://tailwatch/ request gets: only a file of the renderer bundle, of a type served with
// an exact Content-Type (the responses carry nosniff), never anything outside the bundle's directory.
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { APP_ORIGIN } from './app-csp';

export type AppFile = { path: string; contentType: string };
export type AppFileRefusal = { status: 400 | 404; reason: string };

/** The bundle's file types. Anything else (sources, dotfiles, a stray binary) is not served at all. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  // RFC 9239: text/javascript is the one JavaScript type.
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  // JSON is UTF-8 by definition (RFC 8259), so no charset parameter.
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The file for `requestUrl` under `rootDir`, or the status to answer. The path is checked segment by
 * segment after decoding, so no spelling (`..`, `%2e%2e`, `%2f`, `\`, NUL) can climb out, and the file
 * found is checked again after resolving symbolic links, so a link inside the bundle cannot point out of it.
 */
export async function resolveAppFile(requestUrl: string, rootDir: string): Promise<AppFile | AppFileRefusal> {
  // Compared as text: the scheme and host exactly, then a path, a query or nothing. Chromium hands the
  // handler canonical URLs (lower-case host), so anything else was not made by the window.
  const rest = requestUrl.startsWith(APP_ORIGIN) ? requestUrl.slice(APP_ORIGIN.length) : null;
  if (rest === null || (rest !== '' && !'/?#'.includes(rest[0]!))) return { status: 400, reason: `not an ${APP_ORIGIN}/ URL` };
  const rawPath = rest.split(/[?#]/, 1)[0]!;

  const segments = rawPath === '' || rawPath === '/' ? ['index.html'] : rawPath.slice(1).split('/');
  const names: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return { status: 400, reason: 'malformed percent-encoding in the path' };
    }
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
      return { status: 400, reason: 'the path may not hold empty, dot or dot-dot segments, slashes, backslashes or NUL' };
    }
    names.push(name);
  }

  const contentType = CONTENT_TYPES[extname(names[names.length - 1]!).toLowerCase()];
  if (contentType === undefined) return { status: 404, reason: 'not a file type the app serves' };

  let root: string;
  let path: string;
  try {
    root = await realpath(rootDir);
    path = await realpath(join(rootDir, ...names));
  } catch {
    return { status: 404, reason: 'no such file' };
  }
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return { status: 404, reason: "outside the app's files" };
  try {
    if (!(await stat(path)).isFile()) return { status: 404, reason: 'not a file' };
  } catch {
    return { status: 404, reason: 'no such file' };
  }
  return { path, contentType };
}
