// What closes a menu or a drawer that floats over the page: Escape, or a tap or click outside it (and outside
// the button that opened it). One pair of document listeners per floating thing, idle while it is closed.

export function closeOnOutsideOrEscape(isOpen: () => boolean, close: () => void, inside: readonly HTMLElement[]): void {
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !isOpen()) return;
    event.preventDefault();
    close();
  });
  // pointerdown, not click: a tap that starts outside closes at once, before whatever it lands on reacts.
  document.addEventListener('pointerdown', (event) => {
    if (!isOpen() || !(event.target instanceof Node)) return;
    const target = event.target;
    if (!inside.some((element) => element.contains(target))) close();
  });
}
