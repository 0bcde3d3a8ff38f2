// What closes a menu or a drawer that floats over the page: Escape, or a tap or click outside it (and outside
// the button that opened it). One pair of document listeners per floating thing, idle while it is closed.
import { shortcutAction } from '../services/shortcuts';

/** `inside[0]` is the button that opened it: Escape gives it the focus back, where the user left off. */
export function closeOnOutsideOrEscape(isOpen: () => boolean, close: () => void, inside: readonly HTMLElement[]): void {
  document.addEventListener('keydown', (event) => {
    if (shortcutAction('menu', event) !== 'closeMenu' || !isOpen() || event.defaultPrevented) return;
    event.preventDefault();
    close();
    inside[0]?.focus();
  });
  // pointerdown, not click: a tap that starts outside closes at once, before whatever it lands on reacts.
  document.addEventListener('pointerdown', (event) => {
    if (!isOpen() || !(event.target instanceof Node)) return;
    const target = event.target;
    if (!inside.some((element) => element.contains(target))) close();
  });
}
