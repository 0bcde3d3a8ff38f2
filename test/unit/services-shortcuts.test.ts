import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chordLabel, helpSections, SCOPE_TITLES, shortcutAction, SHORTCUTS, type KeyPress, type Shortcut, type ShortcutScope } from '../../renderer/services/shortcuts';

const RENDERER = fileURLToPath(new URL('../../renderer/', import.meta.url));
const TABLE_FILE = 'services/shortcuts.ts';
const table: readonly Shortcut[] = SHORTCUTS;

function sources(dir = RENDERER): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [{ path: relative(RENDERER, path), text: readFileSync(path, 'utf8') }] : [];
  });
}

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

test('no two entries of one scope share a key combination, nor an action', () => {
  const seen = new Map<string, string>();
  for (const shortcut of table) {
    assert.ok(shortcut.chords.length > 0, `${shortcut.scope}/${shortcut.action} has a key`);
    assert.ok(!seen.has(`${shortcut.scope} action ${shortcut.action}`), `action ${shortcut.action} twice in ${shortcut.scope}`);
    seen.set(`${shortcut.scope} action ${shortcut.action}`, shortcut.action);
    for (const chord of shortcut.chords) {
      const combination = `${shortcut.scope} ${chord.primary === true ? 'Ctrl/⌘+' : ''}${chord.key}`;
      assert.ok(!seen.has(combination), `${combination}: ${seen.get(combination)} and ${shortcut.action}`);
      seen.set(combination, shortcut.action);
    }
  }
});

test('every entry of every scope is in the help, with its keys as labels', () => {
  const sections = helpSections();
  assert.deepEqual(
    sections.map((section) => section.title),
    Object.values(SCOPE_TITLES),
  );
  const listed = sections.flatMap((section) => section.rows.map((row) => `${section.title}: ${row.keys.join(' or ')} ${row.what}`));
  const expected = table.map((s) => `${SCOPE_TITLES[s.scope]}: ${[...new Set(s.chords.map(chordLabel))].join(' or ')} ${s.what}`);
  assert.deepEqual(listed, expected);
  assert.ok(listed.includes('Anywhere (not while typing in a field): Space Pause or resume the log (lines are kept while paused)'));
  assert.ok(listed.includes('In the log: Ctrl/⌘+C Copy the lines picked by clicking (shift-click picks a range); text selected with the mouse copies as usual'));
  assert.ok(listed.includes('In the log: ↑ Scroll up a line (following stops)'));
  assert.ok(listed.includes('In the charts: Esc Back to live after a zoom'));
});

test('a press means the action of its scope: Shift is in the key, Ctrl or ⌘ only where the table says, Alt never', () => {
  assert.equal(shortcutAction('page', press('g')), 'scrollToTop');
  assert.equal(shortcutAction('page', press('G')), 'scrollToBottom');
  assert.equal(shortcutAction('page', press('g', { ctrlKey: true })), null);
  assert.equal(shortcutAction('page', press('x')), null);
  assert.equal(shortcutAction('log', press('c', { ctrlKey: true })), 'copyRows');
  assert.equal(shortcutAction('log', press('c', { metaKey: true })), 'copyRows');
  assert.equal(shortcutAction('log', press('C', { ctrlKey: true })), 'copyRows', 'Ctrl+Shift+C');
  assert.equal(shortcutAction('log', press('c', { ctrlKey: true, altKey: true })), null);
  assert.equal(shortcutAction('log', press('c')), null);
  assert.equal(shortcutAction('log', press('ArrowUp')), 'lineUp');
  assert.equal(shortcutAction('log', press('ArrowUp', { metaKey: true })), null);
  assert.equal(shortcutAction('charts-handle', press('ArrowUp')), 'shorter', 'the same key means what its scope says');
  assert.equal(shortcutAction('filter', press('Escape')), 'leaveFilter');
  assert.equal(shortcutAction('menu', press('Escape')), 'closeMenu');
  assert.equal(shortcutAction('charts', press('Escape')), 'backToLive');
});

test('help labels: names for the keys that have none of their own', () => {
  assert.deepEqual(
    [{ key: ' ' }, { key: 'ArrowDown' }, { key: 'PageUp' }, { key: 'Escape' }, { key: '?' }, { key: 'c', primary: true as const }].map(chordLabel),
    ['Space', '↓', 'Page Up', 'Esc', '?', 'Ctrl/⌘+C'],
  );
});

test('every key handler takes its keys from the table: no other module reads a key or compares one', () => {
  const KEY_NAMES = 'Escape|Esc|Enter|Tab|Backspace|Delete|Home|End|PageUp|PageDown|ArrowUp|ArrowDown|ArrowLeft|ArrowRight';
  const compares = new RegExp(`(===|!==|case)\\s*(['"])(${KEY_NAMES})\\2|(['"])(${KEY_NAMES})\\4\\s*(===|!==)`);
  const reads = /\b(event|e|ev|keyEvent)\.(key|code|keyCode|which)\b/;
  const offenders: string[] = [];
  for (const { path, text } of sources()) {
    if (path === TABLE_FILE) continue;
    const handlesKeys = /addEventListener\(\s*'key(down|up|press)'|KeyboardEvent/.test(text);
    // pressesControl (Space and Enter press a control, as on a button) is the table module's too.
    if (/addEventListener\(\s*'key(down|up|press)'/.test(text) && !/\b(shortcutAction|pressesControl)\(/.test(text)) offenders.push(`${path}: listens to keys without the table`);
    for (const [n, line] of text.split('\n').entries()) {
      if (compares.test(line)) offenders.push(`${path}:${n + 1}: compares a key: ${line.trim()}`);
      if (handlesKeys && reads.test(line)) offenders.push(`${path}:${n + 1}: reads a key: ${line.trim()}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('every action of the table has its handler', () => {
  const handlers = sources().filter(({ path }) => path !== TABLE_FILE);
  // A `case 'action':` of a scope's switch, or the action's property in the page's handlers (typed
  // Record<ShortcutAction<'page'>, …>, so the compiler already wants all of them).
  const handled = (action: string) => new RegExp(`(['"])${action}\\1|\\b${action}\\s*:|[{,]\\s*${action}\\s*[,}]`);
  const missing = table.filter(({ action }) => !handlers.some(({ text }) => handled(action).test(text)));
  assert.deepEqual(missing.map((s) => `${s.scope}/${s.action}`), []);
  const scopes = new Set<ShortcutScope>(table.map((s) => s.scope));
  assert.deepEqual([...scopes].sort(), (Object.keys(SCOPE_TITLES) as ShortcutScope[]).sort(), 'every scope has keys and a title');
});
