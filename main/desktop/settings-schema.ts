// What the desktop app's settings file holds: the shape of version 2, its bounds and defaults, the steps
// from older layouts, and the field-by-field check that keeps what is good in a file and drops the rest.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import type { AlertRule, DesktopHosts, DesktopHostsView, DesktopPreferences, DesktopSource, ShareRequest } from '../../protocol/desktop-ipc';
import { redisUrlMistake, withoutPassword } from '../hosts/redis/redis-url';
import { MAX_DESKTOP_SOURCES } from './desktop-sources';
import { validateAlertRules } from './settings-alert-rules';
import type { WindowBounds } from './window-bounds';

/** The layout this app writes. A new layout bumps it and adds one step to MIGRATIONS. */
export const SETTINGS_VERSION = 2;

export interface DesktopSettings {
  version: typeof SETTINGS_VERSION;
  sources: DesktopSource[];
  /** Where the window was last, or null (Electron centres a default-sized one). */
  window: WindowBounds | null;
  alerts: AlertRule[];
  preferences: DesktopPreferences;
  /** The last Share Dashboard request (kept only when the user asked to remember it), else null. */
  share: ShareRequest | null;
  /** Many hosts: the Redis to read (serve --redis) and its CA file. The file is the user's only (0600): the URL may hold a password. */
  hosts: DesktopHosts;
}

export const SETTINGS_LIMITS = Object.freeze({
  /** Folders and files kept: the same bound as the running list (a folder may hold many logs; --max-files caps those). */
  sources: MAX_DESKTOP_SOURCES,
  /** Characters in a source's path: PATH_MAX on Linux; longer is no path the system can open. */
  pathChars: 4096,
  /** Window position and size in pixels: beyond any desktop, and keeps a hand-edited 1e308 away from setBounds. */
  windowPixels: 100_000,
});

export function defaultSettings(): DesktopSettings {
  return { version: SETTINGS_VERSION, sources: [], window: null, alerts: [], preferences: { ...DEFAULT_PREFERENCES }, share: null, hosts: { redis: null, redisCa: null } };
}

export const DEFAULT_PREFERENCES: Readonly<DesktopPreferences> = Object.freeze({ openAtLogin: false, closeToTray: false });
const PREFERENCE_KEYS = Object.keys(DEFAULT_PREFERENCES) as (keyof DesktopPreferences)[];

/** The id of a folder or file the user added: opaque, URL-safe, and the same for the same kind and path in every run. */
export function desktopSourceId(kind: DesktopSource['kind'], path: string): string {
  return createHash('sha256').update(`${kind}\0${path}`).digest('base64url').slice(0, 12);
}

type Layout = Record<string, unknown>;

/**
 * MIGRATIONS[n] turns a layout of version n into version n + 1. What a step produces is checked like any
 * file afterwards, so a step only moves fields and need not check them.
 */
const MIGRATIONS: Readonly<Record<number, (old: Layout) => Layout>> = {
  // Version 1: { folders: string[], files: string[], window?: WindowBounds, openAtLogin?: boolean }.
  1: (v1) => {
    const rootsOf = (kind: DesktopSource['kind'], list: unknown) =>
      (Array.isArray(list) ? list : []).map((path: unknown) => ({ id: typeof path === 'string' ? desktopSourceId(kind, path) : '', kind, path }));
    return {
      version: 2,
      sources: [...rootsOf('folder', v1.folders), ...rootsOf('file', v1.files)],
      window: v1.window ?? null,
      alerts: [],
      preferences: { openAtLogin: v1.openAtLogin },
      share: null,
    };
  },
};

/** Brings a layout of an older `version` (1 ≤ version ≤ SETTINGS_VERSION) up to this one. */
export function migrateSettings(layout: Layout, version: number): Layout {
  let current = layout;
  for (let v = version; v < SETTINGS_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`tailwatch: no migration of the settings from version ${v}`);
    current = step(current);
  }
  return current;
}

/** The settings in `raw` (a version-2 layout): every good field kept, every bad one replaced by its default, with a warning. */
export function sanitizeSettings(input: object, warn: (message: string) => void): DesktopSettings {
  const raw = input as Layout;
  const settings = defaultSettings();
  for (const key of Object.keys(raw)) {
    if (!(key in settings)) warn(`unknown setting "${key.slice(0, 60)}" dropped`);
  }
  settings.sources = sanitizeSources(raw.sources, warn);
  settings.window = sanitizeWindow(raw.window, warn);
  const alerts = validateAlertRules(raw.alerts ?? []);
  for (const error of alerts.errors) warn(`${error}; dropped`);
  settings.alerts = alerts.rules;
  settings.preferences = sanitizePreferences(raw.preferences, warn);
  settings.share = sanitizeShare(raw.share, warn);
  settings.hosts = sanitizeHosts(raw.hosts, warn);
  return settings;
}

function sanitizeSources(raw: unknown, warn: (message: string) => void): DesktopSource[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    warn('sources: expected a list; no folders or files kept');
    return [];
  }
  const sources = new Map<string, DesktopSource>();
  for (const [i, item] of raw.entries()) {
    const { kind, path, id } = (typeof item === 'object' && item !== null ? item : {}) as Partial<Record<keyof DesktopSource, unknown>>;
    const what = `source ${i + 1}`;
    if (kind !== 'folder' && kind !== 'file') {
      warn(`${what}: kind must be "folder" or "file", got ${JSON.stringify(kind) ?? 'nothing'}; dropped`);
    } else if (typeof path !== 'string' || !isAbsolute(path) || path.includes('\0') || path.length > SETTINGS_LIMITS.pathChars) {
      warn(`${what}: path must be an absolute path of at most ${SETTINGS_LIMITS.pathChars} characters; dropped`);
    } else if (sources.size >= SETTINGS_LIMITS.sources) {
      warn(`sources: at most ${SETTINGS_LIMITS.sources} are kept; ${path} and those after it dropped`);
      break;
    } else {
      // The id is derived, so one edited by hand (or by a bug) is put right rather than trusted.
      const derived = desktopSourceId(kind, path);
      if (id !== derived) warn(`${what} (${path}): id ${JSON.stringify(id) ?? 'missing'} replaced by ${derived}`);
      if (sources.has(derived)) warn(`${what} (${path}): listed twice; kept once`);
      else sources.set(derived, { id: derived, kind, path });
    }
  }
  return [...sources.values()];
}

function sanitizeWindow(raw: unknown, warn: (message: string) => void): WindowBounds | null {
  if (raw === null || raw === undefined) return null;
  const bounds = (typeof raw === 'object' ? raw : {}) as Partial<Record<keyof WindowBounds, unknown>>;
  const limit = SETTINGS_LIMITS.windowPixels;
  const pixels = (value: unknown, min: number) => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= limit;
  const bad = [
    ...(['x', 'y'] as const).filter((key) => !pixels(bounds[key], -limit)),
    ...(['width', 'height'] as const).filter((key) => !pixels(bounds[key], 1)),
    ...(typeof bounds.maximized === 'boolean' ? [] : ['maximized']),
  ];
  if (bad.length > 0) {
    warn(`window: ${bad.join(', ')} missing or out of range; the window opens at its default place`);
    return null;
  }
  // Electron takes whole pixels; a fractional value from a scaled display would make setBounds throw.
  const round = (key: 'x' | 'y' | 'width' | 'height') => Math.round(bounds[key] as number);
  return { x: round('x'), y: round('y'), width: round('width'), height: round('height'), maximized: bounds.maximized as boolean };
}

/** Each preference from the file, or its default: silently when it is missing (one newer than the file). */
function sanitizePreferences(raw: unknown, warn: (message: string) => void): DesktopPreferences {
  const preferences = { ...DEFAULT_PREFERENCES };
  if (raw === undefined) return preferences;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    warn('preferences: not an object; the defaults instead');
    return preferences;
  }
  for (const key of PREFERENCE_KEYS) {
    const value = (raw as Partial<Record<keyof DesktopPreferences, unknown>>)[key];
    if (typeof value === 'boolean') preferences[key] = value;
    else if (value !== undefined) warn(`preferences: ${key} must be true or false; off`);
  }
  return preferences;
}

/**
 * A change of preferences from the page: only known names, each true or false, at least one. Returns the
 * problem in words, or the change.
 */
export function checkPreferenceChange(input: unknown): Partial<DesktopPreferences> | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'a change of preferences must be an object';
  const change: Partial<DesktopPreferences> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(PREFERENCE_KEYS as string[]).includes(key)) return `no preference named ${key.slice(0, 40)}`;
    if (typeof value !== 'boolean') return `${key} must be true or false`;
    change[key as keyof DesktopPreferences] = value;
  }
  return Object.keys(change).length > 0 ? change : 'no preference to change';
}

function sanitizeShare(raw: unknown, warn: (message: string) => void): ShareRequest | null {
  if (raw === null || raw === undefined) return null;
  const share = (typeof raw === 'object' ? raw : {}) as Partial<Record<keyof ShareRequest, unknown>>;
  const bad = [
    ...(['enabled', 'tls', 'remember'] as const).filter((key) => typeof share[key] !== 'boolean'),
    ...(typeof share.address === 'string' && isIP(share.address) !== 0 ? [] : ['address']),
    ...(Number.isInteger(share.port) && (share.port as number) >= 0 && (share.port as number) <= 65_535 ? [] : ['port']),
  ];
  if (bad.length > 0) {
    warn(`share: ${bad.join(', ')} missing or invalid; sharing is off`);
    return null;
  }
  const { enabled, address, port, tls, remember } = share as ShareRequest;
  return { enabled, address, port, tls, remember };
}

/** The hosts setting from the file; missing (a file older than it) is none, silently. */
function sanitizeHosts(raw: unknown, warn: (message: string) => void): DesktopHosts {
  if (raw === undefined || raw === null) return { redis: null, redisCa: null };
  const checked = checkHosts(raw, { redis: null, redisCa: null });
  if (typeof checked === 'string') {
    warn(`hosts: ${checked}; this machine only`);
    return { redis: null, redisCa: null };
  }
  return checked;
}

/**
 * A hosts setting from the page (or the file): a Redis URL tailwatch can use or null, a CA file (absolute
 * path) or null, and no CA without a URL. The URL as the page was shown it (`withoutPassword` of the stored
 * one) keeps the stored URL, password included. Returns the problem in words (never the password), or the setting.
 */
export function checkHosts(input: unknown, stored: DesktopHosts): DesktopHosts | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'the hosts setting must be an object';
  const { redis, redisCa } = input as Partial<Record<keyof DesktopHosts, unknown>>;
  if (redis !== null && typeof redis !== 'string') return 'the Redis URL must be a string or null';
  if (redisCa !== null && redisCa !== undefined && typeof redisCa !== 'string') return 'the CA file must be a path or null';
  const url = typeof redis === 'string' && redis.trim() !== '' ? redis.trim() : null;
  const ca = typeof redisCa === 'string' && redisCa.trim() !== '' ? redisCa.trim() : null;
  let kept: string | null = url;
  if (url !== null && stored.redis !== null && url === withoutPassword(stored.redis)) kept = stored.redis;
  else if (url !== null) {
    const mistake = redisUrlMistake(url);
    if (mistake !== null) return `the Redis URL ${mistake}`;
  }
  if (ca !== null && (!isAbsolute(ca) || ca.includes('\0') || ca.length > SETTINGS_LIMITS.pathChars)) {
    return `the CA file must be an absolute path of at most ${SETTINGS_LIMITS.pathChars} characters`;
  }
  if (ca !== null && kept === null) return 'a CA file is used only with a Redis URL';
  return { redis: kept, redisCa: ca };
}

/** The hosts setting as the page may see it: URLs without their password. `inUse`: the URL this run reads. */
export function hostsView(stored: DesktopHosts, inUse: string | null, fromCommandLine: boolean): DesktopHostsView {
  return {
    redis: stored.redis === null ? null : withoutPassword(stored.redis),
    redisCa: stored.redisCa,
    inUse: inUse === null ? null : withoutPassword(inUse),
    fromCommandLine,
  };
}
