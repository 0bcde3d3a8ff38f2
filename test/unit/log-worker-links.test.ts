import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLinks, LINK_LIMITS } from '../../renderer/log-worker/links';

const linked = (text: string): string[] => (findLinks(text) ?? []).map(({ start, end }) => text.slice(start, end));

test('http and https addresses, whatever the case of the scheme', () => {
  assert.deepEqual(findLinks('GET https://example.com/a?b=1#c done'), [{ start: 4, end: 31 }]);
  assert.deepEqual(linked('see http://10.0.0.1:8080/x and HTTPS://Example.COM/'), ['http://10.0.0.1:8080/x', 'HTTPS://Example.COM/']);
  assert.deepEqual(linked('{"url":"https://x.io/a b","next":\'http://y.io\'}'), ['https://x.io/a', 'http://y.io']);
  assert.deepEqual(linked('<https://x.io/path>'), ['https://x.io/path']);
});

test('no other scheme is ever a link', () => {
  assert.equal(findLinks('javascript:alert(1)'), undefined);
  assert.equal(findLinks('data:text/html;base64,PHNjcmlwdD4='), undefined);
  assert.equal(findLinks('file:///etc/passwd'), undefined);
  assert.equal(findLinks('ftp://x.io/f vbscript://x ws://x.io'), undefined);
  // "xhttps://" is not an http address; a bare scheme is not an address at all.
  assert.equal(findLinks('xhttps://evil.io'), undefined);
  assert.equal(findLinks('see https:// or http://.'), undefined);
  // What is linked is exactly an http(s) URL, even inside something else.
  assert.deepEqual(linked('javascript:http://x.io'), ['http://x.io']);
});

test('trailing punctuation stays out, balanced brackets stay in', () => {
  assert.deepEqual(linked('Read https://x.io/a.'), ['https://x.io/a']);
  assert.deepEqual(linked('at https://x.io/a, then https://y.io/b; and https://z.io/c: ok?! https://w.io/d...'), [
    'https://x.io/a',
    'https://y.io/b',
    'https://z.io/c',
    'https://w.io/d',
  ]);
  assert.deepEqual(linked('(see https://x.io/a)'), ['https://x.io/a']);
  assert.deepEqual(linked('[https://x.io/a]'), ['https://x.io/a']);
  assert.deepEqual(linked('https://en.wikipedia.org/wiki/Tar_(computing)'), ['https://en.wikipedia.org/wiki/Tar_(computing)']);
  assert.deepEqual(linked('(https://en.wikipedia.org/wiki/Tar_(computing)).'), ['https://en.wikipedia.org/wiki/Tar_(computing)']);
  assert.deepEqual(linked('https://x.io/?q=a.b'), ['https://x.io/?q=a.b']);
});

test('links per line are bounded', () => {
  const text = Array.from({ length: LINK_LIMITS.maxPerLine + 10 }, (_, i) => `https://x.io/${i}`).join(' ');
  assert.equal(findLinks(text)!.length, LINK_LIMITS.maxPerLine);
});
