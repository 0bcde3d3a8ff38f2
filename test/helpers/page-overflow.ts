// Checks that a page draws nothing wider than its window, for the dashboard's e2e tests at every size.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { inPage } from './dashboard-browser';

/**
 * Everything drawn past the window's right edge: the page's own width, and each element whose visible part (its
 * box cut by every ancestor that clips) ends right of the window. A log line scrolled sideways inside its pane
 * is clipped by the pane and does not count.
 */
const OVERFLOW = `(() => {
  const width = window.innerWidth;
  const offenders = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden') continue;
    let right = box.right;
    for (let a = element.parentElement; a !== null && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.contain.includes('paint')) right = Math.min(right, a.getBoundingClientRect().right);
    }
    if (right > width + 0.5) offenders.push((element.id ? '#' + element.id : element.tagName.toLowerCase() + '.' + [...element.classList].join('.')) + ' right=' + Math.round(right));
  }
  return { scrollWidth: document.scrollingElement.scrollWidth, width, offenders: offenders.slice(0, 12) };
})()`;

export async function assertNoOverflow(page: Page, when: string): Promise<void> {
  const found = await inPage<{ scrollWidth: number; width: number; offenders: string[] }>(page, OVERFLOW);
  assert.ok(found.scrollWidth <= found.width, `${when}: the page is ${found.scrollWidth} px wide in a ${found.width} px window`);
  assert.deepEqual(found.offenders, [], `${when}: drawn past the window's right edge`);
}

