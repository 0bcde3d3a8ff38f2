// Every key the dashboard answers, in one table: the help dialog lists it, and each key handler asks it which
// action a press means in the handler's scope and acts on the action's name, never on a key. So the help is
// complete, and one key given two meanings in one place fails a test (test/unit/services-shortcuts.test.ts)
// instead of surprising a user. No DOM: a press is read as its key and modifiers.

/** Where the focus is when a key means something: keys of different scopes never compete. */
export type ShortcutScope = 'page' | 'log' | 'filter' | 'menu' | 'charts' | 'charts-handle';

/** The help's heading of each scope, in the order the help lists them. */
export const SCOPE_TITLES: Readonly<Record<ShortcutScope, string>> = {
  page: 'Anywhere (not while typing in a field)',
  log: 'In the log',
  filter: 'In the filter field',
  menu: 'In a toolbar menu',
  charts: 'In the charts',
  'charts-handle': "On the charts' resize handle",
};

interface KeyChord {
  /** A `KeyboardEvent.key` value: letters are told apart by case (`g`, `G`), so Shift is part of the key. */
  key: string;
  /** Held with Ctrl, or ⌘ on a Mac (either is taken, as the browser's own copy does). */
  primary?: true;
}

/** A key press as a handler reads it (a KeyboardEvent is one). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface Shortcut {
  scope: ShortcutScope;
  /** What the handler of the scope does: the only thing a handler knows of the press. */
  action: string;
  chords: readonly KeyChord[];
  /** As the help says it. */
  what: string;
}

export const SHORTCUTS = [
  { scope: 'page', action: 'focusFilter', chords: [{ key: '/' }], what: 'Filter: type text or /regex/flags' },
  { scope: 'page', action: 'togglePause', chords: [{ key: ' ' }], what: 'Pause or resume the log (lines are kept while paused)' },
  { scope: 'page', action: 'scrollToTop', chords: [{ key: 'g' }], what: 'Go to the oldest line held; again there: load older lines from disk' },
  { scope: 'page', action: 'scrollToBottom', chords: [{ key: 'G' }], what: 'Go to the newest line and follow' },
  { scope: 'page', action: 'follow', chords: [{ key: 'f' }], what: 'Follow new lines' },
  { scope: 'page', action: 'toggleCharts', chords: [{ key: 'c' }], what: 'Show or hide the charts' },
  { scope: 'page', action: 'toggleTheme', chords: [{ key: 't' }], what: 'Switch theme: auto, light, dark' },
  { scope: 'page', action: 'showHelp', chords: [{ key: '?' }], what: 'This help' },

  { scope: 'log', action: 'lineUp', chords: [{ key: 'ArrowUp' }], what: 'Scroll up a line (following stops)' },
  { scope: 'log', action: 'lineDown', chords: [{ key: 'ArrowDown' }], what: 'Scroll down a line (at the end, following starts again)' },
  { scope: 'log', action: 'pageUp', chords: [{ key: 'PageUp' }], what: 'Scroll up a screen' },
  { scope: 'log', action: 'pageDown', chords: [{ key: 'PageDown' }], what: 'Scroll down a screen' },
  { scope: 'log', action: 'oldest', chords: [{ key: 'Home' }], what: 'Go to the oldest line held; again there: load older lines from disk' },
  { scope: 'log', action: 'newest', chords: [{ key: 'End' }], what: 'Go to the newest line and follow' },
  {
    scope: 'log',
    action: 'copyRows',
    chords: [
      { key: 'c', primary: true },
      { key: 'C', primary: true },
    ],
    what: 'Copy the lines picked by clicking (shift-click picks a range); text selected with the mouse copies as usual',
  },
  { scope: 'log', action: 'clearFilter', chords: [{ key: 'Escape' }], what: 'Right after Esc left the filter field: clear the filter' },

  { scope: 'filter', action: 'applyFilter', chords: [{ key: 'Enter' }], what: 'Filter now (typing filters after a short pause)' },
  { scope: 'filter', action: 'leaveFilter', chords: [{ key: 'Escape' }], what: 'Back to the log, keeping the filter' },

  { scope: 'menu', action: 'closeMenu', chords: [{ key: 'Escape' }], what: 'Close the menu' },

  { scope: 'charts', action: 'backToLive', chords: [{ key: 'Escape' }], what: 'Back to live after a zoom' },

  { scope: 'charts-handle', action: 'shorter', chords: [{ key: 'ArrowUp' }], what: 'Make the charts shorter' },
  { scope: 'charts-handle', action: 'taller', chords: [{ key: 'ArrowDown' }], what: 'Make the charts taller' },
  { scope: 'charts-handle', action: 'muchShorter', chords: [{ key: 'PageUp' }], what: 'Make the charts shorter by a larger step' },
  { scope: 'charts-handle', action: 'muchTaller', chords: [{ key: 'PageDown' }], what: 'Make the charts taller by a larger step' },
  { scope: 'charts-handle', action: 'shortest', chords: [{ key: 'Home' }], what: 'The charts as short as they go' },
  { scope: 'charts-handle', action: 'tallest', chords: [{ key: 'End' }], what: 'The charts as tall as the log view allows' },
] as const satisfies readonly Shortcut[];

/** The actions of one scope: what its handler switches on. */
export type ShortcutAction<S extends ShortcutScope> = Extract<(typeof SHORTCUTS)[number], { scope: S }>['action'];

/** How a chord is looked up: `primary+c`, `Escape`. */
const chordId = (key: string, primary: boolean): string => (primary ? `primary+${key}` : key);

const BY_SCOPE = new Map<ShortcutScope, Map<string, string>>();
for (const shortcut of SHORTCUTS as readonly Shortcut[]) {
  let chords = BY_SCOPE.get(shortcut.scope);
  if (chords === undefined) BY_SCOPE.set(shortcut.scope, (chords = new Map()));
  for (const chord of shortcut.chords) chords.set(chordId(chord.key, chord.primary === true), shortcut.action);
}

/**
 * The action `press` means in `scope`, or null. Alt is never ours (it types characters on some layouts and
 * drives the browser's menus); Ctrl and ⌘ are, only where the table says so.
 */
export function shortcutAction<S extends ShortcutScope>(scope: S, press: KeyPress): ShortcutAction<S> | null {
  if (press.altKey) return null;
  const action = BY_SCOPE.get(scope)?.get(chordId(press.key, press.ctrlKey || press.metaKey));
  return (action as ShortcutAction<S> | undefined) ?? null;
}

/** Space and Enter press the focused button or link: there the browser's use of them comes first. */
export function pressesControl(press: KeyPress): boolean {
  return press.key === ' ' || press.key === 'Enter';
}

const KEY_NAMES: Readonly<Record<string, string>> = {
  ' ': 'Space',
  ArrowUp: '↑',
  ArrowDown: '↓',
  PageUp: 'Page Up',
  PageDown: 'Page Down',
  Escape: 'Esc',
};

/** A chord as the help shows it: `Space`, `G`… `Ctrl/⌘+C` (a letter with Ctrl is one key whatever its case). */
export function chordLabel(chord: KeyChord): string {
  const name = KEY_NAMES[chord.key] ?? chord.key;
  return chord.primary === true ? `Ctrl/⌘+${name.toUpperCase()}` : name;
}

interface HelpSection {
  title: string;
  rows: { keys: string[]; what: string }[];
}

/** The whole table as the help lists it: a section per scope, an entry per row, its chords' labels once each. */
export function helpSections(): HelpSection[] {
  return (Object.keys(SCOPE_TITLES) as ShortcutScope[]).map((scope) => ({
    title: SCOPE_TITLES[scope],
    rows: (SHORTCUTS as readonly Shortcut[])
      .filter((shortcut) => shortcut.scope === scope)
      .map((shortcut) => ({ keys: [...new Set(shortcut.chords.map(chordLabel))], what: shortcut.what })),
  }));
}
