// The desktop app's settings on disk: settings.json in Electron's userData directory, read once at start
// (migrated, checked, a broken file moved aside, a newer app's file left alone) and saved atomically.
import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { SETTINGS_VERSION, defaultSettings, migrateSettings, sanitizeSettings, type DesktopSettings } from './settings-schema';

export { SETTINGS_LIMITS, desktopSourceId, type DesktopSettings } from './settings-schema';
export { validateAlertRules } from './settings-alert-rules';
export type { WindowBounds } from './window-bounds';

const SETTINGS_FILE_NAME = 'settings.json';
/** Only the user may read it: it names the folders and files they follow. (The share token is never stored.) */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

type Warn = (message: string) => void;

interface Loaded {
  settings: DesktopSettings;
  /** Why the file must not be written over, else null. */
  readOnlyReason: string | null;
}

export class SettingsFile {
  /**
   * Why changes are kept in memory only (a newer app's file, or one that could not be read or moved
   * aside), else null.
   */
  readonly readOnlyReason: string | null;

  private settings: DesktopSettings;
  /** The write under way, and the one write queued behind it (which takes the latest settings when it starts). */
  private writing: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private refusalTold = false;
  /** The last write failed (told once until one succeeds again). */
  private failing = false;

  private constructor(
    readonly path: string,
    loaded: Loaded,
    private readonly warn: Warn,
  ) {
    this.settings = deepFreeze(loaded.settings);
    this.readOnlyReason = loaded.readOnlyReason;
  }

  /** Reads `dir`/settings.json; never fails for what is in the file, only warns. */
  static async open(dir: string, warn: Warn): Promise<SettingsFile> {
    const path = join(dir, SETTINGS_FILE_NAME);
    return new SettingsFile(path, await load(path, warn), warn);
  }

  /** The settings now: frozen, so a change can only go through `update`. */
  get(): DesktopSettings {
    return this.settings;
  }

  /**
   * Applies `change` to the settings (checked like a file's: a bad field is dropped with a warning) and
   * resolves once they are on disk. A failed write is a warning, not a rejection: the change holds for
   * this run, and the next save tries again.
   */
  update(change: (current: DesktopSettings) => DesktopSettings): Promise<void> {
    this.settings = deepFreeze(sanitizeSettings(change(this.settings), (m) => this.warn(`${this.path}: ${m}`)));
    if (this.readOnlyReason === null) return this.save();
    if (!this.refusalTold) {
      this.refusalTold = true;
      this.warn(`settings changes are not saved: ${this.readOnlyReason}`);
    }
    return Promise.resolve();
  }

  /** Resolves once every change made so far is on disk (or its write has failed and been warned about). */
  flush(): Promise<void> {
    return this.queued ?? this.writing ?? Promise.resolve();
  }

  /** One write at a time; saves asked for meanwhile share the single write queued behind it. */
  private save(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.writing) {
      this.writing = this.write().finally(() => (this.writing = null));
      return this.writing;
    }
    this.queued = this.writing.then(() => {
      this.queued = null;
      return this.save();
    });
    return this.queued;
  }

  private async write(): Promise<void> {
    // Taken before the first await: the settings as they are when this write starts.
    const text = `${JSON.stringify(this.settings, null, 2)}\n`;
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: DIR_MODE });
      await writeFileAtomic(this.path, text, FILE_MODE);
      this.failing = false;
    } catch (err) {
      // Once per run of failures: a window being moved saves often, and the user needs to hear it once.
      if (!this.failing) this.warn(`cannot save the settings to ${this.path}: ${(err as Error).message}; changes hold until the app quits`);
      this.failing = true;
    }
  }
}

async function load(path: string, warn: Warn): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { settings: defaultSettings(), readOnlyReason: null };
    return keepFile(`${path} cannot be read (${code ?? (err as Error).message}), so it is not written over`, warn);
  }
  const layout = parseLayout(text);
  if (typeof layout === 'string') return moveAside(path, layout, warn);
  const version = layout.version as number;
  if (version > SETTINGS_VERSION) {
    return keepFile(
      `${path} is from a newer tailwatch (settings version ${version}; this one knows up to ${SETTINGS_VERSION}), so it is left as it is`,
      warn,
    );
  }
  const settings = sanitizeSettings(migrateSettings(layout, version), (m) => warn(`${path}: ${m}`));
  return { settings, readOnlyReason: null };
}

/** The file's content as an object with a settings version, or what is wrong with it. */
function parseLayout(text: string): Record<string, unknown> | string {
  let json: unknown;
  try {
    // An editor on Windows may have put a byte-order mark in front, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return `is not valid JSON (${(err as Error).message})`;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'does not hold a JSON object';
  const { version } = json as { version?: unknown };
  if (!Number.isSafeInteger(version) || (version as number) < 1) return `has no settings version (got ${JSON.stringify(version) ?? 'none'})`;
  return json as Record<string, unknown>;
}

/** A file that is no settings file goes aside under a new name, so the user can still get at what was in it. */
async function moveAside(path: string, problem: string, warn: Warn): Promise<Loaded> {
  // No colons: they are not allowed in Windows file names.
  const aside = `${path}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await rename(path, aside);
  } catch (err) {
    return keepFile(`${path} ${problem} and cannot be moved aside (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}), so it is not written over`, warn);
  }
  warn(`${path} ${problem}: moved it to ${aside}; starting from default settings`);
  return { settings: defaultSettings(), readOnlyReason: null };
}

function keepFile(reason: string, warn: Warn): Loaded {
  warn(`${reason}; using default settings for this run`);
  return { settings: defaultSettings(), readOnlyReason: reason };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
