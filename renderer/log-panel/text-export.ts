// Getting text out of the panel: onto the clipboard (the async Clipboard API, else the older copy command,
// since a plain-http page opened from another machine has no Clipboard API) or into a downloaded file.
import { el } from '../services/dom-builder';
import type { Notify } from '../services/toast';
import { countOf } from './log-format';
import { LOG_PANEL_LIMITS } from './panel-limits';

/** Copies rows the worker exported, and says how that went. */
export async function copyExported(exported: { text: string; lines: number }, notify: Notify): Promise<void> {
  if (exported.lines === 0) notify('Nothing to copy');
  else if (await copyText(exported.text)) notify(`Copied ${countOf(exported.lines, 'line')}`);
  else notify('The browser blocked the clipboard: use Download instead', 'bad');
}

/** True when the text reached the clipboard. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard !== undefined) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied (no permission, or the page lost focus): the copy command below may still be allowed.
  }
  return copyThroughField(text);
}

function copyThroughField(text: string): boolean {
  const focused = document.activeElement;
  const field = el('textarea', 'lp-copy-buffer');
  field.value = text;
  field.readOnly = true;
  document.body.append(field);
  field.select();
  let copied: boolean;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  field.remove();
  if (focused instanceof HTMLElement) focused.focus({ preventScroll: true });
  return copied;
}

export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = el('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), LOG_PANEL_LIMITS.downloadUrlMs);
}
