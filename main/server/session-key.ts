// Session values for the dashboard's cookie: `?token=` is exchanged for one, so the cookie never holds the
// token. A value is `<issued>.<nonce>.<mac>`, the MAC an HMAC-SHA256 keyed by the token over the listener's
// scope, the issue time and a random nonce. Nothing is stored: a value is checked by recomputing its MAC,
// so sessions cost no memory, outlive a restart with the same token, end when the token changes (a revoked
// Share, a new --token), and one made for another listener (scope) is worthless here.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A session lasts this long after it was issued; it is renewed on use (see SESSION_RENEW_AFTER_MS). */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/** A value issued this far in the future (another clock) is refused. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const NONCE_BYTES = 16;
const VALUE = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export class SessionKey {
  private readonly key: Buffer;

  constructor(
    token: string,
    /** Which listener: a value made for one is refused by every other. */
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {
    // Derived, so the token itself never keys anything a value is compared with.
    this.key = createHmac('sha256', token).update('tailwatch session key v1').digest();
  }

  issue(): string {
    const issued = this.now().toString(36);
    const nonce = randomBytes(NONCE_BYTES).toString('base64url');
    return `${issued}.${nonce}.${this.mac(issued, nonce).toString('base64url')}`;
  }

  /** How old a valid value is, in ms; null for a forged, expired, or malformed one. */
  ageOf(value: string): number | null {
    const m = VALUE.exec(value);
    if (!m) return null;
    const [, issued, nonce, mac] = m as unknown as [string, string, string, string];
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== 32 || !timingSafeEqual(given, this.mac(issued, nonce))) return null;
    const age = this.now() - parseInt(issued, 36);
    return age >= -CLOCK_SKEW_MS && age < SESSION_LIFETIME_MS ? Math.max(0, age) : null;
  }

  private mac(issued: string, nonce: string): Buffer {
    return createHmac('sha256', this.key).update(`${this.scope}|${issued}|${nonce}`).digest();
  }
}
