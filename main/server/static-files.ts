// The dashboard's files (the esbuild bundle in dist/renderer) and the page that asks for a token.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Serves one file of `root`; false when there is no such file (the caller answers 404). */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, head: boolean): Promise<boolean> {
  let rel: string;
  try {
    rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.slice(1));
  } catch {
    return false; // a malformed %-escape names no file
  }
  const path = normalize(join(root, rel));
  if (!path.startsWith(root + sep) || rel.includes('\0')) return false;
  const type = CONTENT_TYPES[extname(path).toLowerCase()];
  if (!type) return false;
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return false;
  }
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
  res.end(head ? undefined : body);
  return true;
}

const TOKEN_PAGE_STYLE = `body{font:16px system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;margin:0;color:#1d232b;background:#f4f6f8}
@media (prefers-color-scheme:dark){body{color:#e4e8ee;background:#14181d}input,button{color:inherit;background:#222830;border-color:#3a434f}}
form{display:grid;gap:.75rem;width:min(28rem,90vw)}h1{font-size:1.3rem;margin:0}p{margin:0;opacity:.8}
input,button{font:inherit;padding:.55rem .7rem;border:1px solid #b9c2cc;border-radius:6px}button{cursor:pointer}
.error{color:#c62828}`;

/** The inline style's hash, so the page works under a CSP with no 'unsafe-inline'. */
export const TOKEN_PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(TOKEN_PAGE_STYLE).digest('base64')}'`;

export function tokenPage(wrongToken: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>tailwatch: token needed</title><style>${TOKEN_PAGE_STYLE}</style></head><body>
<form method="get" action="/"><h1>tailwatch</h1>
<p>This dashboard needs its access token. The server printed a URL with it when it started; open that URL, or paste the token here.</p>
${wrongToken ? '<p class="error">That token is not right.</p>' : ''}
<input name="token" type="password" autocomplete="current-password" placeholder="token" aria-label="token" required autofocus>
<button type="submit">Open dashboard</button></form></body></html>`;
}
