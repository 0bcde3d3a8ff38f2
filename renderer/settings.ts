// The dashboard's user settings, kept in localStorage.
import type { TransportKind } from './transports/transport';

export type TransportPreference = 'auto' | TransportKind;

/** Forces one transport (`sse`, `ws`, `poll`) instead of trying them in order (`auto`). */
export const TRANSPORT_SETTING_KEY = 'tailwatch.transport';
const TRANSPORT_PREFERENCES: readonly TransportPreference[] = ['auto', 'sse', 'ws', 'poll'];

export function readTransportPreference(): TransportPreference {
  const value = safeLocalStorage()?.getItem(TRANSPORT_SETTING_KEY) ?? null;
  if (value === null) return 'auto';
  if ((TRANSPORT_PREFERENCES as readonly string[]).includes(value)) return value as TransportPreference;
  console.warn(`tailwatch: ignoring ${TRANSPORT_SETTING_KEY}=${JSON.stringify(value)} (expected ${TRANSPORT_PREFERENCES.join(', ')})`);
  return 'auto';
}

/** localStorage throws instead of being absent when storage is disabled (privacy settings, sandboxed frames). */
function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
