// How many streams (SSE, WebSocket, waiting long-polls) each client address holds open, and the bound on
// it (--max-clients-per-address): one address cannot take every socket and fd of the server.
import { isIPv4MappedAddress } from './access';

export class ClientsPerAddress {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`ClientsPerAddress: max must be a whole number of at least 1, got ${max}`);
  }

  /** Counts one more stream of `address`; null when it holds `max` already. The function returned ends it (once). */
  acquire(address: string): (() => void) | null {
    const key = isIPv4MappedAddress(address) ? address.slice(7) : address;
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left === 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }

  /** Streams open now, all addresses together. */
  get total(): number {
    let n = 0;
    for (const count of this.open.values()) n += count;
    return n;
  }

  refusal(address: string): { error: string; code: 'too-many-clients' } {
    return {
      error: `${address || 'this address'} has ${this.max} streams open already (--max-clients-per-address); close one first`,
      code: 'too-many-clients',
    };
  }
}
