// Open at login on Linux, where Electron's `app.setLoginItemSettings` does nothing: an XDG autostart entry,
// $XDG_CONFIG_HOME/autostart/tailwatch.desktop (XDG Autostart and Desktop Entry specifications).
import { mkdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from './atomic-write';

const AUTOSTART_FILE_NAME = 'tailwatch.desktop';

export class AutostartError extends Error {
  readonly code = 'ERR_TAILWATCH_AUTOSTART';
}

export interface LinuxAutostartTarget {
  /** The user's configuration directory: $XDG_CONFIG_HOME or ~/.config. */
  configHome: string;
  /** The program to start: the AppImage file, or the app's executable. */
  execPath: string;
  /** Its arguments (the app's path when run as `electron <path>`). */
  args: readonly string[];
}

/** Where the entry goes and what it starts, from this process's environment. */
export function linuxAutostartTarget(options: { env: NodeJS.ProcessEnv; homeDir: string; execPath: string; args: readonly string[] }): LinuxAutostartTarget {
  const { env, homeDir, execPath, args } = options;
  // XDG Base Directory: an unset, empty or relative $XDG_CONFIG_HOME is ignored for ~/.config.
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg && isAbsolute(xdg) ? xdg : join(homeDir, '.config');
  // An AppImage runs from a temporary mount that is gone after it quits; $APPIMAGE is the file the user keeps.
  const appImage = env.APPIMAGE;
  return { configHome, execPath: appImage && isAbsolute(appImage) ? appImage : execPath, args };
}

export function autostartFilePath(configHome: string): string {
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/** Desktop Entry "The Exec key": an argument holding any of these must be quoted. */
const RESERVED = /[ \t\n"'\\><~|&;$*?#()`]/;

/** The text of the entry that starts `execPath args…` at login. */
export function autostartEntry(execPath: string, args: readonly string[]): string {
  if (!isAbsolute(execPath)) throw new AutostartError(`autostart: the program must be an absolute path, got ${execPath}`);
  // The spec forbids "=" in the program's path, and string values may not hold control characters.
  if (execPath.includes('=')) throw new AutostartError(`autostart: a desktop entry cannot start a program whose path holds "=": ${execPath}`);
  for (const word of [execPath, ...args]) {
    if (/[\x00-\x1f\x7f]/.test(word)) throw new AutostartError(`autostart: a desktop entry cannot hold control characters: ${JSON.stringify(word)}`);
  }
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=tailwatch',
    'Comment=Live log and system-metrics monitor',
    // Session managers skip the entry when this file is gone (the AppImage deleted) instead of failing at login.
    `TryExec=${stringValue(execPath)}`,
    `Exec=${[execPath, ...args].map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes the entry (replacing an older one, say of an AppImage since moved) or removes it. */
export async function setLinuxAutostart(enabled: boolean, target: LinuxAutostartTarget): Promise<void> {
  const path = autostartFilePath(target.configHome);
  if (!enabled) {
    await rm(path, { force: true });
    return;
  }
  const text = autostartEntry(target.execPath, target.args);
  await mkdir(join(target.configHome, 'autostart'), { recursive: true });
  await writeFileAtomic(path, text, 0o644);
}

/** True when our entry is there and not turned off (`Hidden=true`, or GNOME's `X-GNOME-Autostart-enabled=false`). */
export async function isLinuxAutostartEnabled(target: Pick<LinuxAutostartTarget, 'configHome'>): Promise<boolean> {
  const path = autostartFilePath(target.configHome);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new AutostartError(`autostart: cannot read ${path}: ${code ?? (err as Error).message}`, { cause: err });
  }
  const entry = desktopEntryKeys(text);
  return entry.get('Hidden') !== 'true' && entry.get('X-GNOME-Autostart-enabled') !== 'false';
}

/**
 * One argument of Exec: quoted when it holds a reserved character (with ", `, $ and \ escaped inside),
 * % doubled (it starts field codes), then every backslash doubled again, because Exec is a string value
 * whose own escapes are undone before the quoting (a literal \ in a quoted argument is written \\\\).
 */
function execArgument(word: string): string {
  const quoted = word === '' || RESERVED.test(word) ? `"${word.replace(/["`$\\]/g, '\\$&')}"` : word;
  return stringValue(quoted.replace(/%/g, '%%'));
}

/** A string value: a backslash is written as two (no control characters get this far). */
function stringValue(text: string): string {
  return text.replace(/\\/g, '\\\\');
}

/** The keys of the [Desktop Entry] group (a user may have edited the file: comments, other groups, spaces around =). */
function desktopEntryKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  let inEntry = false;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) inEntry = trimmed === '[Desktop Entry]';
    else if (inEntry && !trimmed.startsWith('#') && trimmed.includes('=')) {
      const at = trimmed.indexOf('=');
      keys.set(trimmed.slice(0, at).trim(), trimmed.slice(at + 1).trim());
    }
  }
  return keys;
}
