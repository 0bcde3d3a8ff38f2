import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DesktopNotice } from '../../protocol/desktop-ipc';
import { MAX_NOTICE_CHARS, MAX_WAITING_NOTICES, PageNotices } from '../../main/desktop/page-notices';

const problem = (message: string): DesktopNotice => ({ kind: 'problem', message });

test('notices wait until the page asks, then go out as they come', () => {
  const sent: DesktopNotice[] = [];
  const notices = new PageNotices((n) => sent.push(n));
  notices.post(problem('before load'));
  assert.deepEqual(sent, [], 'nothing is sent into a page that is not listening');
  assert.deepEqual(notices.take(), [problem('before load')]);
  notices.post(problem('while listening'));
  assert.deepEqual(sent, [problem('while listening')]);
  assert.deepEqual(notices.take(), [], 'each notice is given once');
});

test('a reload makes notices wait again', () => {
  const sent: DesktopNotice[] = [];
  const notices = new PageNotices((n) => sent.push(n));
  notices.take();
  notices.pageGone();
  const added: DesktopNotice = { kind: 'added', result: { added: [{ id: 'x', kind: 'folder', path: '/var/log' }], rejected: [] } };
  notices.post(added);
  assert.deepEqual(sent, []);
  assert.deepEqual(notices.take(), [added]);
});

test('waiting notices are bounded (the oldest go) and a long text is cut', () => {
  const notices = new PageNotices(() => {});
  for (let i = 1; i <= MAX_WAITING_NOTICES + 5; i++) notices.post(problem(`n${i}`));
  notices.post(problem('p'.repeat(MAX_NOTICE_CHARS * 3)));
  const taken = notices.take();
  assert.equal(taken.length, MAX_WAITING_NOTICES);
  assert.deepEqual(taken[0], problem('n7'));
  assert.equal((taken.at(-1) as { message: string }).message.length, MAX_NOTICE_CHARS);
});
