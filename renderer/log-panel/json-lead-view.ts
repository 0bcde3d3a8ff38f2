// A JSON line's lead as DOM, before the row's text: the chosen keys' values (each titled with its key), then
// the message. Text only (textContent), as every part of a row.
import { el } from '../services/dom-builder';
import { jsonLead } from './json-lead';
import { localTime } from './json-format';
import './json-lead.css';

/** The lead of `text`, or null when it has none (not a JSON object, no message, no chosen key). */
export function buildJsonLead(text: string, keys: readonly string[]): HTMLElement | null {
  const lead = jsonLead(text, keys, localTime);
  if (lead === null) return null;
  const element = el('span', 'json-lead');
  for (const { key, value } of lead.columns) {
    const cell = el('span', value === null ? 'json-col json-col-none' : 'json-col', value ?? '–');
    cell.title = key;
    cell.dataset.key = key;
    element.append(cell);
  }
  if (lead.message !== null) element.append(el('span', 'json-msg', lead.message));
  return element;
}
