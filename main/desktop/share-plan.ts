// The parts of Share Dashboard that need no Electron: the addresses it can be shared on, the token, the URL
// to give others and its QR code, the check of what the page asks for, and the install's TLS certificate.

import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { access, mkdir, readFile } from 'node:fs/promises';
import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { generate } from 'selfsigned';
import type { ShareInterface, ShareRequest } from '../../protocol/desktop-ipc';
import { writeFileAtomic } from './atomic-write';

/** Binds every IPv4 interface. */
export const ALL_INTERFACES = '0.0.0.0';

/** What this module reads of `os.networkInterfaces()`. */
export type InterfaceAddresses = Readonly<
  Record<string, readonly Pick<NetworkInterfaceInfo, 'address' | 'family' | 'internal'>[] | undefined>
>;

export class ShareError extends Error {
  constructor(
    readonly code: 'bad-share-request' | 'no-share-address',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every address to offer, `All interfaces` first, then IPv4 before IPv6 (the ones people recognise).
 * Loopback is not offered: the window already reaches the local server, and sharing is for other machines.
 * Link-local IPv6 (fe80::/10) is not offered either: it is unusable in a URL without the zone id (`%eth0`),
 * which browsers do not accept.
 */
export function shareInterfaces(ifaces: InterfaceAddresses = networkInterfaces()): ShareInterface[] {
  const v4: ShareInterface[] = [];
  const v6: ShareInterface[] = [];
  const seen = new Set<string>();
  for (const [name, addresses] of Object.entries(ifaces)) {
    for (const a of addresses ?? []) {
      if (a.internal || seen.has(a.address)) continue;
      if (a.family === 'IPv4') v4.push({ label: `${name} — ${a.address}`, address: a.address });
      else if (a.family === 'IPv6' && !isLinkLocalV6(a.address)) v6.push({ label: `${name} — ${a.address}`, address: a.address });
      else continue;
      seen.add(a.address);
    }
  }
  return [{ label: 'All interfaces', address: ALL_INTERFACES }, ...v4, ...v6];
}

/** fe80::/10: the first 10 bits are 1111 1110 10, so the address starts with fe8, fe9, fea or feb. */
function isLinkLocalV6(address: string): boolean {
  return /^fe[89ab]/i.test(address);
}

/** 32 random bytes, 43 characters: far above the server's 16-character minimum for a non-loopback bind. */
export function newShareToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface ShareUrlParts {
  /** The bound address: one of `shareInterfaces()`. */
  address: string;
  /** The port listened on (not 0). */
  port: number;
  tls: boolean;
  token: string;
  ifaces?: InterfaceAddresses;
}

/** The URL to give others. For `All interfaces`, the first network IPv4 address (the wildcard bind is IPv4). */
export function shareUrl({ address, port, tls, token, ifaces = networkInterfaces() }: ShareUrlParts): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`port: expected the port listened on (1–65535), got ${port}`);
  let host = address;
  if (address === ALL_INTERFACES) {
    const v4 = shareInterfaces(ifaces).find((i) => i.address !== ALL_INTERFACES && !i.address.includes(':'));
    if (!v4) throw new ShareError('no-share-address', 'this machine has no network IPv4 address to share on: choose an IPv6 address or connect to a network');
    host = v4.address;
  }
  if (host.includes(':')) host = `[${host}]`;
  return `${tls ? 'https' : 'http'}://${host}:${port}/?token=${encodeURIComponent(token)}`;
}

/**
 * Checks a ShareRequest from the page. Keys other than the request's are ignored, so the page may send back
 * its ShareState with a field changed. Turning sharing off is accepted with any address: the one stored may
 * have gone (another Wi-Fi) and the user must still be able to stop sharing.
 */
export function validateShareRequest(input: unknown, interfaces: readonly ShareInterface[]): ShareRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ShareError('bad-share-request', `share request: expected an object, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`);
  }
  const r = input as Record<string, unknown>;
  for (const key of ['enabled', 'tls', 'remember'] as const) {
    if (typeof r[key] !== 'boolean') throw new ShareError('bad-share-request', `share request: ${key} must be true or false, got ${show(r[key])}`);
  }
  if (typeof r.address !== 'string') throw new ShareError('bad-share-request', `share request: address must be a string, got ${show(r.address)}`);
  if (r.enabled === true && !interfaces.some((i) => i.address === r.address)) {
    throw new ShareError(
      'bad-share-request',
      `share request: address ${show(r.address)} is not one of this machine's (${interfaces.map((i) => i.address).join(', ')})`,
    );
  }
  // Ports below 1024 need root (or CAP_NET_BIND_SERVICE) on Linux; 0 lets the system pick a free one.
  const port = r.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || (port !== 0 && (port < 1024 || port > 65535))) {
    throw new ShareError('bad-share-request', `share request: port must be 0 (any free port) or 1024–65535, got ${show(port)}`);
  }
  return { enabled: r.enabled as boolean, address: r.address, port, tls: r.tls as boolean, remember: r.remember as boolean };
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : String(value);
}

/** A QR code of `text` as a `data:image/svg+xml` URL (the page's CSP allows data: images). */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

// The self-signed certificate for sharing over TLS: made once per install and kept, so that browsers that
// accepted it (and people who checked its fingerprint) keep trusting it across launches.

export const KEY_FILE = 'share-tls.key';
export const CERT_FILE = 'share-tls.crt';

/**
 * Validity. A self-signed certificate is trusted by its fingerprint, not by a CA, so a long life only
 * spares users a new warning; but Apple platforms refuse any TLS server certificate valid for more than
 * 825 days (iOS 13 / macOS 10.15, support.apple.com/103769) — with no way past the warning in Safari or
 * in Chrome on a Mac — and phones opening the QR code are the point of sharing. So 820 days, and a new one
 * when less than 30 days are left, at a launch rather than in the middle of a share.
 */
const VALID_DAYS = 820;
const RENEW_DAYS_BEFORE_END = 30;
/** notBefore a day back: a phone whose clock is behind would otherwise see "not yet valid". */
const BACKDATE_DAYS = 1;
const DAY_MS = 86_400_000;

export interface ShareCertificate {
  /** PEM, PKCS#8. */
  key: string;
  /** PEM. */
  cert: string;
  /** SHA-256 of the certificate, `AB:CD:…`. */
  fingerprint: string;
  /**
   * `reused`: the stored one. `created`: none was stored. `replaced`: the stored one could not be used
   * (`reason`): browsers that trusted it will warn again, and the new fingerprint is to be shown.
   */
  status: 'reused' | 'created' | 'replaced';
  reason?: string;
}

export interface CertificateOptions {
  /** Wall-clock ms (default Date.now). */
  now?: () => number;
  /** Addresses to name in the certificate (default os.networkInterfaces()). */
  ifaces?: InterfaceAddresses;
}

/** The stored certificate of `dir`, or a new one stored there when there is none or it cannot be used. */
export async function loadOrCreateCertificate(dir: string, options: CertificateOptions = {}): Promise<ShareCertificate> {
  const now = (options.now ?? Date.now)();
  const keyPath = join(dir, KEY_FILE);
  const certPath = join(dir, CERT_FILE);
  let reason: string | undefined;
  try {
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    const problem = certificateProblem(key, cert, now);
    if (problem === null) return { key, cert, fingerprint: new X509Certificate(cert).fingerprint256, status: 'reused' };
    reason = problem;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    // Neither file: a first share. Anything else is a stored certificate that cannot be read.
    if (e.code !== 'ENOENT') reason = `the stored one cannot be read (${e.message})`;
    else if (await anyExists(keyPath, certPath)) reason = `one of ${KEY_FILE} and ${CERT_FILE} is missing`;
  }
  const made = await makeCertificate(now, options.ifaces);
  await mkdir(dir, { recursive: true });
  // The key first: a crash in between leaves a new key with the old certificate, which the next launch sees
  // as not matching and replaces. The mode means nothing on Windows, where the profile folder is the user's own.
  await writeFileAtomic(keyPath, made.key, 0o600);
  await writeFileAtomic(certPath, made.cert, 0o644);
  const fingerprint = new X509Certificate(made.cert).fingerprint256;
  return reason === undefined ? { ...made, fingerprint, status: 'created' } : { ...made, fingerprint, status: 'replaced', reason };
}

/** Why a stored pair cannot be used, or null. */
function certificateProblem(key: string, cert: string, now: number): string | null {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    return `${CERT_FILE} is not a certificate (${(error as Error).message})`;
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) return `${KEY_FILE} is not the key of ${CERT_FILE}`;
  } catch (error) {
    return `${KEY_FILE} is not a private key (${(error as Error).message})`;
  }
  const end = Date.parse(x509.validTo);
  if (!(end - now > RENEW_DAYS_BEFORE_END * DAY_MS)) return `it ${end < now ? 'ended' : 'ends'} on ${new Date(end).toISOString().slice(0, 10)}`;
  return null;
}

async function anyExists(...paths: string[]): Promise<boolean> {
  const found = await Promise.all(paths.map((p) => access(p).then(() => true, () => false)));
  return found.includes(true);
}

async function makeCertificate(now: number, ifaces?: InterfaceAddresses): Promise<{ key: string; cert: string }> {
  const host = hostname().toLowerCase();
  // Names a browser may be pointed at; the certificate is trusted by fingerprint, so an address that changes
  // later (DHCP) costs a name warning, not a new certificate.
  const dnsNames = ['localhost'];
  if (/^[a-z0-9][a-z0-9.-]*$/.test(host) && host !== 'localhost') dnsNames.push(host, `${host}.local`);
  const ips = ['127.0.0.1', '::1', ...shareInterfaces(ifaces).map((i) => i.address).filter((a) => a !== ALL_INTERFACES)];
  const notBefore = new Date(now - BACKDATE_DAYS * DAY_MS);
  const pems = await generate([{ name: 'commonName', value: dnsNames[1] ?? 'localhost' }], {
    // ECDSA P-256: quick to make, small, accepted by every browser.
    keyType: 'ec',
    curve: 'P-256',
    // The default is SHA-1, which browsers refuse.
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: new Date(notBefore.getTime() + VALID_DAYS * DAY_MS),
    // Apple also requires the names in subjectAltName and serverAuth in extKeyUsage, even self-signed.
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...dnsNames.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
