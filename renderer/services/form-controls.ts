// Labelled controls for the desktop dialogs (alerts, share), built one way: a visible label tied to its
// control, an optional hint under it, and an error line that screen readers announce. Text only, never markup.
import './form-controls.css';

let nextId = 0;
/** A page-unique id, to tie a label or a hint to its control. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++nextId}`;
}

/**
 * A label above its control, with a hint below when given (read out as the control's description).
 * `labels` is the input the label names, when `control` is a box around it (an input with its unit).
 */
export function labelled(label: string, control: HTMLElement, hint?: string, labels: HTMLElement = control): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'form-row';
  labels.id ||= uniqueId('field');
  const text = document.createElement('label');
  text.htmlFor = labels.id;
  text.textContent = label;
  wrapper.append(text, control);
  if (hint !== undefined) wrapper.append(hintFor(labels, hint));
  return wrapper;
}

/** A checkbox with its label after it; `role: 'switch'` for one that turns something on at once. */
export function checkbox(label: string, options: { checked?: boolean; hint?: string; role?: 'switch' } = {}): { row: HTMLElement; input: HTMLInputElement } {
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.checked = options.checked ?? false;
  if (options.role !== undefined) input.setAttribute('role', options.role);
  const row = document.createElement('div');
  row.className = 'form-check';
  const text = document.createElement('label');
  text.append(input, ` ${label}`);
  row.append(text);
  if (options.hint !== undefined) row.append(hintFor(input, options.hint));
  return { row, input };
}

export function textInput(options: { value?: string; required?: boolean; mono?: boolean; maxLength?: number } = {}): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'text';
  input.className = options.mono ? 'field mono' : 'field';
  input.value = options.value ?? '';
  input.required = options.required ?? false;
  input.spellcheck = false;
  if (options.maxLength !== undefined) input.maxLength = options.maxLength;
  return input;
}

/** A whole number of at least `min` (the browser checks it before a form is sent). */
export function numberInput(value: number, options: { min: number; max?: number; step?: string }): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'number';
  input.className = 'field number';
  input.required = true;
  input.min = String(options.min);
  if (options.max !== undefined) input.max = String(options.max);
  input.step = options.step ?? '1';
  input.value = String(value);
  return input;
}

export function select<T extends string>(choices: readonly { value: T; label: string }[], current: T): HTMLSelectElement {
  const element = document.createElement('select');
  element.className = 'field';
  for (const choice of choices) {
    const option = document.createElement('option');
    option.value = choice.value;
    option.textContent = choice.label;
    option.selected = choice.value === current;
    element.append(option);
  }
  return element;
}

export function button(text: string, className = 'tool'): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  return element;
}

/** Where a refusal is written; empty and hidden until then. `role="alert"`: it is read out when it appears. */
export function errorLine(): { element: HTMLElement; show(message: string | null): void } {
  const element = document.createElement('p');
  element.className = 'form-error';
  element.setAttribute('role', 'alert');
  element.hidden = true;
  return {
    element,
    show(message) {
      element.textContent = message ?? '';
      element.hidden = message === null;
    },
  };
}

function hintFor(control: HTMLElement, hint: string): HTMLElement {
  const element = document.createElement('span');
  element.className = 'form-hint';
  element.id = uniqueId('hint');
  element.textContent = hint;
  control.setAttribute('aria-describedby', element.id);
  return element;
}

/** One row of the settings dialog: its title and help on the left (then `more`, e.g. a problem line), the control on the right. */
export function setting(title: string, help: string, control: HTMLElement, ...more: HTMLElement[]): HTMLElement {
  const label = document.createElement('label');
  label.className = 'setting';
  const text = document.createElement('span');
  text.textContent = title;
  const hint = document.createElement('span');
  hint.className = 'setting-help';
  hint.textContent = help;
  text.append(hint, ...more);
  label.append(text, control);
  return label;
}
