// A small menu under a toolbar button: opens and closes with the button, closes on Escape (focus goes back
// to the button) and on a press anywhere else. Its content is the caller's.
import { el } from '../services/dom-builder';
import { icon } from '../services/icons';
import { shortcutAction } from '../services/shortcuts';

export class Popover {
  /** The button and its menu, to put in the toolbar. */
  readonly element = el('div', 'lp-menu');
  readonly panel = el('div', 'lp-popover');
  private readonly outside = (event: PointerEvent): void => {
    if (!this.element.contains(event.target as Node)) this.close();
  };

  constructor(
    private readonly button: HTMLButtonElement,
    label: string,
    private readonly onOpen: () => void = () => {},
  ) {
    button.append(icon('chevron'));
    // A disclosure: the button says whether its panel is open (the panel is a group of controls, not a menu).
    button.setAttribute('aria-expanded', 'false');
    this.panel.setAttribute('role', 'group');
    this.panel.setAttribute('aria-label', label);
    this.panel.hidden = true;
    button.addEventListener('click', () => (this.panel.hidden ? this.open() : this.close()));
    this.element.addEventListener('keydown', (event) => {
      if (shortcutAction('menu', event) !== 'closeMenu' || this.panel.hidden) return;
      event.stopPropagation();
      this.close();
      button.focus();
    });
    this.element.append(button, this.panel);
  }

  open(): void {
    this.onOpen();
    this.panel.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    // Opened near the window's right edge, the menu grows leftwards instead of off the screen.
    const box = this.button.getBoundingClientRect();
    this.panel.classList.toggle('align-end', box.left > window.innerWidth / 2);
    document.addEventListener('pointerdown', this.outside, true);
  }

  close(): void {
    if (this.panel.hidden) return;
    this.panel.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', this.outside, true);
  }
}
