// Toolbar buttons built one way everywhere: the shared `.tool` look, an icon and/or a word, a tooltip that
// says what the button does, and aria-pressed on toggles.
import { el } from '../services/dom-builder';
import { icon, type IconName } from '../services/icons';

interface ToolOptions {
  icon?: IconName;
  /** Visible words; without them the tooltip is also the accessible name. */
  text?: string;
  title: string;
  /** A toggle: its initial state. */
  pressed?: boolean;
  className?: string;
}

export function toolButton(options: ToolOptions): HTMLButtonElement {
  const button = el('button', options.className === undefined ? 'tool' : `tool ${options.className}`);
  button.type = 'button';
  button.title = options.title;
  if (options.icon !== undefined) button.append(icon(options.icon));
  if (options.text !== undefined) button.append(el('span', 'label', options.text));
  else {
    button.setAttribute('aria-label', options.title);
    button.classList.add('icon-only');
  }
  if (options.pressed !== undefined) setPressed(button, options.pressed);
  return button;
}

export function setPressed(button: HTMLButtonElement, pressed: boolean): void {
  button.setAttribute('aria-pressed', String(pressed));
}

/** Buttons joined into one control (the shared `.segmented` look). */
export function segmented(label: string, ...buttons: HTMLButtonElement[]): HTMLElement {
  const group = el('div', 'segmented');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', label);
  group.append(...buttons);
  return group;
}
