// The dashboard's keyboard shortcuts: one table that both the key handler and the help dialog read.

export interface ShortcutActions {
  focusFilter(): void;
  togglePause(): void;
  scrollToTop(): void;
  scrollToBottom(): void;
  follow(): void;
  toggleCharts(): void;
  toggleTheme(): void;
  showHelp(): void;
}

export interface Shortcut {
  /** `KeyboardEvent.key` values that trigger it. */
  keys: readonly string[];
  /** As shown in the help. */
  label: string;
  what: string;
  action: keyof ShortcutActions;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['/'], label: '/', what: 'Filter: type text or /regex/flags', action: 'focusFilter' },
  { keys: [' '], label: 'Space', what: 'Pause or resume the log (lines are kept while paused)', action: 'togglePause' },
  { keys: ['g'], label: 'g', what: 'Go to the oldest line held', action: 'scrollToTop' },
  { keys: ['G'], label: 'G', what: 'Go to the newest line and follow', action: 'scrollToBottom' },
  { keys: ['f'], label: 'f', what: 'Follow new lines', action: 'follow' },
  { keys: ['c'], label: 'c', what: 'Show or hide the charts', action: 'toggleCharts' },
  { keys: ['t'], label: 't', what: 'Switch theme: auto, light, dark', action: 'toggleTheme' },
  { keys: ['?'], label: '?', what: 'This help', action: 'showHelp' },
];

/** Keys typed into a field, or with a modifier (the browser's own shortcuts), are not ours. */
function ownsKey(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.defaultPrevented) return false;
  const target = event.target;
  if (!(target instanceof HTMLElement)) return true;
  if (target.isContentEditable || target.closest('input, textarea, select, dialog')) return false;
  // Space on a focused button presses it; the shortcut must not press it twice.
  return !(event.key === ' ' && target.closest('button, a, summary'));
}

export function installShortcuts(actions: ShortcutActions): void {
  const byKey = new Map<string, keyof ShortcutActions>();
  for (const shortcut of SHORTCUTS) for (const key of shortcut.keys) byKey.set(key, shortcut.action);
  document.addEventListener('keydown', (event) => {
    const action = byKey.get(event.key);
    if (action === undefined || !ownsKey(event)) return;
    event.preventDefault();
    actions[action]();
  });
}
