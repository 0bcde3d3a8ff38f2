// The top bar's actions (Charts, Theme, Settings, Help, and the desktop app's) fold into a "⋯" menu where they do
// not fit. Which widths fold is CSS's call (base.css shows the button and turns the actions into a menu there),
// so the same buttons serve both ways and nothing is wired twice; this only opens and closes the menu.
import { closeOnOutsideOrEscape } from './dismiss';

/** Buttons that change something the user wants to see change (the theme): the menu stays open on them. */
const KEEPS_MENU_OPEN = new Set(['toggle-theme']);

export function installHeaderMenu(button: HTMLButtonElement, actions: HTMLElement): void {
  const isOpen = (): boolean => actions.classList.contains('open');
  const setOpen = (open: boolean): void => {
    actions.classList.toggle('open', open);
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => setOpen(!isOpen()));
  // An action taken from the menu closes it (its dialog or the charts are what the user looks at next).
  actions.addEventListener('click', (event) => {
    const pressed = event.target instanceof Element ? event.target.closest('button') : null;
    if (pressed !== null && isOpen() && !KEEPS_MENU_OPEN.has(pressed.id)) setOpen(false);
  });
  closeOnOutsideOrEscape(isOpen, () => setOpen(false), [button, actions]);
}
