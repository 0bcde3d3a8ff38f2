// The keys that work anywhere on the page (the table's `page` scope): one listener on the document, which
// leaves alone what is typed into a field, what a dialog is doing, and the browser's own shortcuts.
import { pressesControl, shortcutAction, type ShortcutAction } from '../services/shortcuts';

type PageShortcuts = Record<ShortcutAction<'page'>, () => void>;

/** Keys typed into a field or a dialog, or already handled, are not ours. */
function ownsKey(event: KeyboardEvent): boolean {
  if (event.isComposing || event.defaultPrevented) return false;
  const target = event.target;
  if (!(target instanceof HTMLElement)) return true;
  if (target.isContentEditable || target.closest('input, textarea, select, dialog')) return false;
  // Space on a focused button presses it; the shortcut must not press it twice.
  return !(pressesControl(event) && target.closest('button, a, summary'));
}

export function installPageShortcuts(actions: PageShortcuts): void {
  document.addEventListener('keydown', (event) => {
    const action = shortcutAction('page', event);
    if (action === null || !ownsKey(event)) return;
    event.preventDefault();
    actions[action]();
  });
}
