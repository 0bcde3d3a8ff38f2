import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import {
  CERT_FILE,
  KEY_FILE,
  loadOrCreateCertificate,
  newShareToken,
  qrCodeDataUrl,
  shareInterfaces,
  ShareError,
  shareUrl,
  validateShareRequest,
  type InterfaceAddresses,
} from '../../main/desktop/share-plan';

const IFACES: InterfaceAddresses = {
  lo: [
    { address: '127.0.0.1', family: 'IPv4', internal: true },
    { address: '::1', family: 'IPv6', internal: true },
  ],
  eth0: [
    { address: 'fe80::fc:ff:fe00:1', family: 'IPv6', internal: false },
    { address: '2001:db8::20', family: 'IPv6', internal: false },
    { address: '192.168.1.20', family: 'IPv4', internal: false },
  ],
  wlan0: [
    { address: '10.0.0.7', family: 'IPv4', internal: false },
    { address: 'FEBF::1', family: 'IPv6', internal: false },
    { address: 'fd00::7', family: 'IPv6', internal: false },
  ],
  docker0: undefined,
};

test('share interfaces: all first, then network IPv4, then routable IPv6; no loopback, no link-local', () => {
  assert.deepEqual(shareInterfaces(IFACES), [
    { label: 'All interfaces', address: '0.0.0.0' },
    { label: 'eth0 — 192.168.1.20', address: '192.168.1.20' },
    { label: 'wlan0 — 10.0.0.7', address: '10.0.0.7' },
    { label: 'eth0 — 2001:db8::20', address: '2001:db8::20' },
    { label: 'wlan0 — fd00::7', address: 'fd00::7' },
  ]);
  assert.deepEqual(shareInterfaces({ lo: IFACES.lo }), [{ label: 'All interfaces', address: '0.0.0.0' }]);
  // The real machine's list has the same shape.
  assert.equal(shareInterfaces()[0]!.address, '0.0.0.0');
});

test('share tokens are 32 random bytes in base64url', () => {
  const a = newShareToken();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(a, 'base64url').length, 32);
  assert.notEqual(a, newShareToken());
});

test('the share URL names an address others can reach', () => {
  const base = { port: 7718, tls: false, token: 'tok', ifaces: IFACES };
  assert.equal(shareUrl({ ...base, address: '0.0.0.0' }), 'http://192.168.1.20:7718/?token=tok');
  assert.equal(shareUrl({ ...base, address: '10.0.0.7', tls: true }), 'https://10.0.0.7:7718/?token=tok');
  assert.equal(shareUrl({ ...base, address: '2001:db8::20' }), 'http://[2001:db8::20]:7718/?token=tok');
  assert.equal(shareUrl({ ...base, address: '10.0.0.7', token: 'a+b/c=d&e f' }), 'http://10.0.0.7:7718/?token=a%2Bb%2Fc%3Dd%26e%20f');
  const url = new URL(shareUrl({ ...base, address: '0.0.0.0', token: 'a+b/c=d&e f' }));
  assert.equal(url.searchParams.get('token'), 'a+b/c=d&e f');
});

test('the share URL refuses what cannot be reached', () => {
  const v6only: InterfaceAddresses = { eth0: [{ address: '2001:db8::20', family: 'IPv6', internal: false }] };
  assert.throws(
    () => shareUrl({ address: '0.0.0.0', port: 7718, tls: false, token: 't', ifaces: v6only }),
    (e: unknown) => e instanceof ShareError && e.code === 'no-share-address' && /no network IPv4 address/.test(e.message),
  );
  // The port asked for may be 0; the URL needs the one listened on.
  assert.throws(() => shareUrl({ address: '10.0.0.7', port: 0, tls: false, token: 't', ifaces: IFACES }), /port: expected the port listened on \(1–65535\), got 0/);
});

test('share requests are checked field by field', () => {
  const offered = shareInterfaces(IFACES);
  const ok = { enabled: true, address: '10.0.0.7', port: 0, tls: true, remember: false };
  assert.deepEqual(validateShareRequest(ok, offered), ok);
  // A ShareState sent back whole: only the request's fields are kept.
  assert.deepEqual(validateShareRequest({ ...ok, url: 'x', interfaces: [], clients: [{}] }, offered), ok);
  for (const port of [1024, 65535, 8080]) assert.equal(validateShareRequest({ ...ok, port }, offered).port, port);

  const refused = (input: unknown, message: RegExp) =>
    assert.throws(
      () => validateShareRequest(input, offered),
      (e: unknown) => e instanceof ShareError && e.code === 'bad-share-request' && message.test(e.message),
      String(message),
    );
  refused(null, /expected an object, got null/);
  refused([ok], /expected an object, got an array/);
  refused('share', /expected an object, got string/);
  refused({ ...ok, enabled: 'yes' }, /enabled must be true or false, got "yes"/);
  refused({ ...ok, tls: undefined }, /tls must be true or false, got undefined/);
  refused({ ...ok, remember: 1 }, /remember must be true or false, got 1/);
  refused({ ...ok, address: 7 }, /address must be a string, got 7/);
  refused({ ...ok, address: '127.0.0.1' }, /address "127.0.0.1" is not one of this machine's \(0.0.0.0, 192.168.1.20, 10.0.0.7, 2001:db8::20, fd00::7\)/);
  refused({ ...ok, address: 'fe80::fc:ff:fe00:1' }, /is not one of this machine's/);
  for (const port of [80, 1023, 65536, -1, 8080.5, '8080', NaN]) refused({ ...ok, port }, /port must be 0 \(any free port\) or 1024–65535/);
});

test('turning sharing off is accepted even when the stored address has gone', () => {
  const offered = shareInterfaces(IFACES);
  const off = { enabled: false, address: '172.16.0.9', port: 7718, tls: false, remember: true };
  assert.deepEqual(validateShareRequest(off, offered), off);
  assert.throws(() => validateShareRequest({ ...off, enabled: true }, offered), ShareError);
});

/** The dark modules of the QR code's SVG: the renderer draws each row as `M x y` / `m dx dy` moves and `h n` runs. */
function svgModules(svg: string): Set<string> {
  const dark = /<path stroke="#000000" d="([^"]+)"/.exec(svg);
  assert.ok(dark, 'a path of dark modules');
  const cells = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of dark[1]!.matchAll(/([MmHh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?/g)) {
    if (op === 'M') [x, y] = [Number(a), Number(b)];
    else if (op === 'm') [x, y] = [x + Number(a), y + Number(b)];
    else {
      for (let i = 0; i < Number(a); i++) cells.add(`${x + i},${Math.floor(y)}`);
      x += Number(a);
    }
  }
  return cells;
}

test('the QR code is an SVG data URL of exactly the QR symbol of the text (level M, margin 2)', async () => {
  const text = 'https://192.168.1.20:7718/?token=' + 'x'.repeat(43);
  const url = await qrCodeDataUrl(text);
  const prefix = 'data:image/svg+xml;base64,';
  assert.ok(url.startsWith(prefix));
  const svg = Buffer.from(url.slice(prefix.length), 'base64').toString('utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"[^>]*>.*<\/svg>\s*$/s);

  const symbol = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = symbol.modules.size;
  const margin = 2;
  assert.equal(Number(/viewBox="0 0 (\d+)/.exec(svg)![1]), size + 2 * margin);
  const expected = new Set<string>();
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) if (symbol.modules.get(row, col)) expected.add(`${col + margin},${row + margin}`);
  }
  assert.ok(expected.size > 200, 'a real symbol has hundreds of dark modules');
  assert.deepEqual(svgModules(svg), expected);

  assert.equal(await qrCodeDataUrl(text), url, 'the same text gives the same code');
  assert.notEqual(await qrCodeDataUrl(text.replace('x', 'y')), url);
});

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tailwatch-cert-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

test('the certificate is made once, kept, and made again when deleted', async (t) => {
  const dir = join(await tempDir(t), 'profile');
  const first = await loadOrCreateCertificate(dir, { ifaces: IFACES });
  assert.equal(first.status, 'created');
  assert.equal(first.reason, undefined);
  assert.match(first.fingerprint, FINGERPRINT);
  assert.equal(first.fingerprint, new X509Certificate(first.cert).fingerprint256);
  assert.equal(await readFile(join(dir, KEY_FILE), 'utf8'), first.key);
  assert.equal(await readFile(join(dir, CERT_FILE), 'utf8'), first.cert);
  if (process.platform !== 'win32') assert.equal((await stat(join(dir, KEY_FILE))).mode & 0o777, 0o600);

  const again = await loadOrCreateCertificate(dir, { ifaces: IFACES });
  assert.deepEqual(again, { ...first, status: 'reused' });

  await unlink(join(dir, CERT_FILE));
  await unlink(join(dir, KEY_FILE));
  const fresh = await loadOrCreateCertificate(dir, { ifaces: IFACES });
  assert.equal(fresh.status, 'created');
  assert.notEqual(fresh.fingerprint, first.fingerprint);
});

test('the certificate names this machine and is acceptable to Apple platforms', async (t) => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  const { cert } = await loadOrCreateCertificate(await tempDir(t), { ifaces: IFACES, now: () => now });
  const x509 = new X509Certificate(cert);
  const names = x509.subjectAltName!.split(', ');
  for (const name of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:192.168.1.20', 'IP Address:10.0.0.7']) assert.ok(names.includes(name), name);
  if (/^[a-z0-9][a-z0-9.-]*$/.test(hostname().toLowerCase())) assert.ok(names.includes(`DNS:${hostname().toLowerCase()}`));
  assert.ok(!names.some((n) => n.startsWith('IP Address:FE80')), 'no link-local address');
  assert.ok(!names.includes('IP Address:0.0.0.0'));
  // iOS 13 / macOS 10.15 refuse server certificates valid for more than 825 days, or without serverAuth.
  const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
  assert.ok(days > 365 && days <= 825, `${days} days`);
  assert.ok(Date.parse(x509.validFrom) < now, 'valid already for a clock a little behind');
  assert.deepEqual(x509.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  assert.equal(x509.ca, false);
});

test('a stored certificate that cannot be used is replaced, saying why', async (t) => {
  const dir = await tempDir(t);
  const first = await loadOrCreateCertificate(dir, { ifaces: IFACES });

  await writeFile(join(dir, CERT_FILE), 'not a certificate');
  const corrupt = await loadOrCreateCertificate(dir, { ifaces: IFACES });
  assert.equal(corrupt.status, 'replaced');
  assert.match(corrupt.reason!, /share-tls.crt is not a certificate/);
  assert.notEqual(corrupt.fingerprint, first.fingerprint);

  // The key of another certificate.
  await writeFile(join(dir, KEY_FILE), first.key);
  const mismatch = await loadOrCreateCertificate(dir, { ifaces: IFACES });
  assert.equal(mismatch.status, 'replaced');
  assert.match(mismatch.reason!, /share-tls.key is not the key of share-tls.crt/);

  await writeFile(join(dir, KEY_FILE), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
  assert.match((await loadOrCreateCertificate(dir, { ifaces: IFACES })).reason!, /share-tls.key is not a private key/);

  await unlink(join(dir, KEY_FILE));
  const halfGone = await loadOrCreateCertificate(dir, { ifaces: IFACES });
  assert.equal(halfGone.status, 'replaced');
  assert.match(halfGone.reason!, /one of share-tls.key and share-tls.crt is missing/);

  // Close to its end, at a launch: a new one, so it does not expire in the middle of a share.
  const later = Date.now() + 800 * 86_400_000;
  const renewed = await loadOrCreateCertificate(dir, { ifaces: IFACES, now: () => later });
  assert.equal(renewed.status, 'replaced');
  assert.match(renewed.reason!, /^it ends on \d{4}-\d\d-\d\d$/);
  assert.equal((await loadOrCreateCertificate(dir, { ifaces: IFACES, now: () => later })).status, 'reused');
  const expired = await loadOrCreateCertificate(dir, { ifaces: IFACES, now: () => later + 1000 * 86_400_000 });
  assert.match(expired.reason!, /^it ended on \d{4}-\d\d-\d\d$/);
});

test('an HTTPS server with the certificate is trusted by a client that pins it', async (t) => {
  const { key, cert, fingerprint } = await loadOrCreateCertificate(await tempDir(t), { ifaces: IFACES });
  const server = createServer({ key, cert }, (_req, res) => res.end('shared'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const answer = await new Promise<{ body: string; peer: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', ca: cert, servername: 'localhost', agent: false }, (res) => {
      const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ body, peer }));
    });
    req.on('error', reject);
    req.end();
  });
  assert.deepEqual(answer, { body: 'shared', peer: fingerprint });

  // Without the certificate as CA the same server is refused: the test above really checked trust.
  await assert.rejects(
    new Promise((resolve, reject) => request({ host: '127.0.0.1', port, path: '/', servername: 'localhost', agent: false }, resolve).on('error', reject).end()),
    /self[- ]signed certificate/,
  );
});
