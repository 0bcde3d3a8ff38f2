// Below the width where the sources sidebar has a column of its own (base.css hides it there), the top bar's
// Sources button opens it as a drawer over the page; Escape, a tap outside or the button again closes it.
import { closeOnOutsideOrEscape } from './dismiss';

export function installSourcesDrawer(button: HTMLButtonElement, sidebar: HTMLElement): void {
  const backdrop = document.createElement('div');
  backdrop.className = 'drawer-backdrop';
  sidebar.after(backdrop);
  const isOpen = (): boolean => sidebar.classList.contains('open');
  const setOpen = (open: boolean): void => {
    sidebar.classList.toggle('open', open);
    backdrop.classList.toggle('open', open);
    button.setAttribute('aria-expanded', String(open));
  };
  // Focus goes into the drawer, so that Tab walks its sources and not the page under it.
  sidebar.tabIndex = -1;
  button.addEventListener('click', () => {
    setOpen(!isOpen());
    if (isOpen()) sidebar.focus({ preventScroll: true });
  });
  closeOnOutsideOrEscape(isOpen, () => setOpen(false), [button, sidebar]);
  // Widened past the drawer's range while open: the sidebar is a column again, and must not come back as a
  // drawer the next time the window narrows.
  matchMedia('(min-width: 901px)').addEventListener('change', (event) => {
    if (event.matches) setOpen(false);
  });
}
