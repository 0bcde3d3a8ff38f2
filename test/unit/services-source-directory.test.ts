import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceInfo } from '../../protocol/events';
import { SourceDirectory } from '../../renderer/services/source-directory';

const info = (id: string, path: string, extra: Partial<SourceInfo> = {}): SourceInfo => ({
  id, path, name: path.slice(path.lastIndexOf('/') + 1), state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0, ...extra,
});

test('names, paths and errors are kept as shown: bidi, zero-width and control characters as ⟨U+XXXX⟩', () => {
  const sources = new SourceDirectory();
  sources.replaceAll([info('a', '/logs/bidi\u202Etxt.exe\u202C.log'), info('b', '/logs/app\u200B.log'), info('c', '/logs/app.log')]);
  sources.upsert(info('d', '/logs/x\u0007.log', { state: 'error', error: 'permission denied: cannot read /logs/x\u0007.log (EACCES)' }));
  assert.equal(sources.nameOf('a'), 'bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log');
  assert.equal(sources.get('a')!.path, '/logs/bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log');
  assert.equal(sources.nameOf('b'), 'app⟨U+200B⟩.log');
  assert.equal(sources.nameOf('c'), 'app.log');
  assert.equal(sources.get('d')!.error, 'permission denied: cannot read /logs/x⟨U+0007⟩.log (EACCES)');
  assert.equal(sources.get('c')!.error, undefined);
  assert.deepEqual(sources.list().map((source) => source.name), ['app.log', 'app⟨U+200B⟩.log', 'bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log', 'x⟨U+0007⟩.log']);
  // Rates keep the shown names.
  sources.updateRates([{ source: 'a', lines: 5, linesPerSec: 1, errorsPerSec: 0 }]);
  assert.equal(sources.get('a')!.name, 'bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log');
  assert.equal(sources.get('a')!.lines, 5);
});

test('a removed source stays listed as removed until released; one missing from a new hello counts as removed', () => {
  const sources = new SourceDirectory();
  sources.replaceAll([info('a', '/logs/a.log', { linesPerSec: 3 }), info('b', '/logs/b.log'), info('c', '/logs/c.log')]);
  sources.markRemoved(info('a', '/logs/a.log', { state: 'removed', linesPerSec: 3 }));
  assert.deepEqual([sources.get('a')!.state, sources.get('a')!.linesPerSec, sources.nameOf('a')], ['removed', 0, 'a.log']);
  // The server restarted, or forgot c while we were away: c is kept, removed, until released.
  sources.replaceAll([info('b', '/logs/b.log'), info('d', '/logs/d.log', { state: 'removed' })]);
  assert.deepEqual(sources.list().map((s) => [s.id, s.state]), [['a', 'removed'], ['b', 'live'], ['c', 'removed'], ['d', 'removed']]);
  // Only removed sources are let go of: b is followed, so a late release of it changes nothing.
  sources.release(['a', 'b', 'd']);
  assert.deepEqual(sources.list().map((s) => s.id), ['b', 'c']);
  // A source that comes back replaces its removed entry.
  const colour = sources.colour('c');
  sources.upsert(info('c', '/logs/c.log'));
  sources.release(['c']);
  assert.deepEqual(sources.list().map((s) => [s.id, s.state]), [['b', 'live'], ['c', 'live']]);
  assert.equal(sources.colour('c'), colour, 'a colour stays with its source');
});

test('hosts: the server\'s own first, then by name; a line is labelled `host: name` only while more than one host is listed', () => {
  const sources = new SourceDirectory();
  sources.replaceAll([info('a', '/logs/a.log', { host: 'hub' })], 'hub');
  assert.deepEqual(sources.hosts(), ['hub']);
  assert.equal(sources.manyHosts, false);
  assert.equal(sources.labelOf('a'), 'a.log');
  sources.upsert(info('z', '/var/log/z.log', { host: 'zeta' }));
  sources.upsert(info('b', '/var/log/b.log', { host: 'alpha' }));
  assert.deepEqual(sources.hosts(), ['hub', 'alpha', 'zeta']);
  assert.equal(sources.manyHosts, true);
  assert.equal(sources.labelOf('b'), 'alpha: b.log');
  assert.equal(sources.labelOf('unknown'), 'unknown');
  // Without --redis no source has a host: no hosts, plain names.
  const plain = new SourceDirectory();
  plain.replaceAll([info('a', '/logs/a.log')]);
  assert.deepEqual(plain.hosts(), []);
  assert.equal(plain.labelOf('a'), 'a.log');
});
