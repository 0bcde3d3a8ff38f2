// What a launch of the desktop app asks for: tailwatch's own options picked out of everything Electron and
// Chromium put on the command line, the paths given to "open with", and what a second launch hands the first.
import { isAbsolute, normalize, resolve } from 'node:path';
import { parseCommandLine, type CliRequest } from '../app/command-line';
import { DEFAULTS, type TailwatchConfig } from '../app/options';
import { MAX_PATHS_PER_ADD } from './desktop-sources';
import { SETTINGS_LIMITS } from './settings-schema';

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/**
 * tailwatch's own options (the same as `serve`'s), and whether each takes a value. Anything else with a
 * dash is Electron's or Chromium's (--no-sandbox, --ozone-platform=…, --inspect…, -psn_… on macOS) and
 * is left to them: the app must start whatever switches a launcher or a test driver adds.
 */
const OWN_OPTIONS: ReadonlyMap<string, boolean> = new Map([
  ...Object.entries(DEFAULTS).map(([key, value]) => [`--${kebab(key)}`, typeof value !== 'boolean'] as const),
  ['--config', true],
  ['--help', false],
  ['-h', false],
  ['--version', false],
  ['-v', false],
]);
/** Options naming a path: resolved against the launch's directory, which the first instance does not share. */
const PATH_OPTIONS: ReadonlySet<string> = new Set(['--dir', '--file', '--config']);

export interface DesktopLaunchArgs {
  /** tailwatch's options, path values made absolute, for `parseCommandLine`. */
  options: string[];
  /** Bare arguments (files and folders to open), absolute. */
  paths: string[];
  /** Switches that are not tailwatch's, left to Electron and Chromium (a typo of ours lands here too). */
  ignored: string[];
}

interface Scanned extends DesktopLaunchArgs {
  /** Each of our options with its value (null for a flag, or when the value is missing). */
  pairs: { name: string; value: string | null }[];
}

export interface LaunchPlace {
  /** `process.defaultApp`: run as `electron <app path> …`, so the app's path comes before our arguments. */
  defaultApp: boolean;
  /** The directory the launch was made from, for relative paths. */
  cwd: string;
}

export function desktopLaunchArgs(argv: readonly string[], place: LaunchPlace): DesktopLaunchArgs {
  const { options, paths, ignored } = scan(argv, place);
  return { options, paths, ignored };
}

export interface DesktopLaunch {
  command: CliRequest['command'];
  config: TailwatchConfig;
  /** Bare paths to open, absolute. */
  paths: string[];
  /** Switches left to Electron and Chromium. */
  ignored: string[];
}

/** The launch's config as `serve` would read it; throws ConfigError for a bad tailwatch option. */
export function parseDesktopLaunch(argv: readonly string[], place: LaunchPlace & { env?: NodeJS.ProcessEnv }): DesktopLaunch {
  const { options, paths, ignored } = scan(argv, place);
  const { command, config } = parseCommandLine(options, place.env ?? process.env);
  return { command, config, paths, ignored };
}

/** A folder or file a second launch asks the running app to open; `unknown` for a bare path (the receiver looks). */
export interface OpenRequest {
  kind: 'folder' | 'file' | 'unknown';
  path: string;
}

/** What a second launch sends with `requestSingleInstanceLock`: its paths, made absolute against its own directory. */
export interface SecondInstanceData {
  open: OpenRequest[];
}

export function secondInstanceData(argv: readonly string[], cwd: string, defaultApp: boolean): SecondInstanceData {
  const { pairs, paths } = scan(argv, { defaultApp, cwd });
  const open: OpenRequest[] = [];
  for (const { name, value } of pairs) {
    // A value that is not absolute was a missing one (`--dir --poll`), which parseCommandLine refuses.
    if (value === null || !isAbsolute(value)) continue;
    if (name === '--dir') open.push({ kind: 'folder', path: value });
    else if (name === '--file') open.push({ kind: 'file', path: value });
  }
  for (const path of paths) open.push({ kind: 'unknown', path });
  return { open };
}

/**
 * The paths a second launch asked for. The data comes from another process (any program can start one
 * as this user), so each entry is checked and at most one add's worth is taken; the rest is dropped.
 */
export function readSecondInstanceData(data: unknown): OpenRequest[] {
  const list = (data as Partial<SecondInstanceData> | null | undefined)?.open;
  if (!Array.isArray(list)) return [];
  const open: OpenRequest[] = [];
  for (const item of list.slice(0, MAX_PATHS_PER_ADD)) {
    const { kind, path } = (typeof item === 'object' && item !== null ? item : {}) as Partial<Record<keyof OpenRequest, unknown>>;
    if (kind !== 'folder' && kind !== 'file' && kind !== 'unknown') continue;
    if (typeof path !== 'string' || path.length > SETTINGS_LIMITS.pathChars || path.includes('\0') || !isAbsolute(path)) continue;
    open.push({ kind, path: normalize(path) });
  }
  return open;
}

function scan(argv: readonly string[], { defaultApp, cwd }: LaunchPlace): Scanned {
  const words = argumentsAfterApp(argv, defaultApp);
  const out: Scanned = { options: [], paths: [], ignored: [], pairs: [] };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      // Chromium and parseArgs alike: everything after a lone -- is an argument, even with a dash.
      out.paths.push(...words.slice(i + 1).filter((w) => w !== '').map((w) => resolve(cwd, w)));
      break;
    }
    if (word === '') continue; // resolve() would turn it into the launch directory itself
    if (!word.startsWith('-')) {
      out.paths.push(resolve(cwd, word));
      continue;
    }
    const equals = word.indexOf('=');
    const name = equals === -1 ? word : word.slice(0, equals);
    const takesValue = OWN_OPTIONS.get(name);
    if (takesValue === undefined) {
      out.ignored.push(word);
    } else if (equals !== -1) {
      // `--dir=PATH`, or a flag given a value, which parseCommandLine refuses with the option's name.
      const value = pathValue(name, word.slice(equals + 1), cwd);
      out.options.push(`${name}=${value}`);
      out.pairs.push({ name, value });
    } else if (!takesValue || i + 1 >= words.length) {
      out.options.push(word);
      out.pairs.push({ name, value: null });
    } else {
      // The next word is the value, whatever it is: `--dir --poll` then reaches parseCommandLine as it was
      // typed and is refused there as ambiguous, instead of being quietly read as two flags.
      const next = words[++i]!;
      const value = next.startsWith('-') ? next : pathValue(name, next, cwd);
      out.options.push(word, value);
      out.pairs.push({ name, value });
    }
  }
  return out;
}

/**
 * The arguments meant for the app. Packaged: all after the executable. Run as `electron …` (defaultApp):
 * those after the app's path, found as Electron's default_app finds it (default_app/main.ts): switches
 * before it are Electron's (`-r`/`--require` take the next word), `--app=PATH` names it, else the first
 * bare word is it.
 */
function argumentsAfterApp(argv: readonly string[], defaultApp: boolean): readonly string[] {
  if (!defaultApp) return argv.slice(1);
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--require' || word === '-r') i++;
    else if (word.startsWith('--app=') || !word.startsWith('-')) return argv.slice(i + 1);
  }
  return [];
}

function pathValue(name: string, value: string, cwd: string): string {
  // An empty value stays empty, for parseCommandLine to refuse, instead of becoming the launch directory.
  return PATH_OPTIONS.has(name) && value !== '' ? resolve(cwd, value) : value;
}
