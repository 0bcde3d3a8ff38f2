import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_ORIGIN } from '../../main/desktop/app-csp';
import { WINDOW_WEB_PREFERENCES, externalOpenTarget, isTrustedSender, mayGrantPermission, mayNavigate } from '../../main/desktop/window-policy';

/** URLs that are not the app's page, though some look close to it. */
const FOREIGN = [
  'app://tailwatch.evil/index.html',
  'app://evil/index.html',
  'app://tailwatch:8080/index.html',
  'app://user@tailwatch/index.html',
  'app://user:pw@tailwatch/',
  'http://tailwatch/index.html',
  'http://127.0.0.1:7717/?token=abc',
  'https://example.com/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'devtools://devtools/bundled/inspector.html',
  'chrome://gpu',
  'not a url',
  '',
];

test('navigation: the app\'s own pages only (a reload), nothing else', () => {
  assert.equal(APP_ORIGIN, 'app://tailwatch');
  assert.equal(mayNavigate('app://tailwatch/index.html'), true);
  assert.equal(mayNavigate('app://tailwatch/'), true);
  assert.equal(mayNavigate('app://tailwatch/index.html?reload=1#logs'), true);
  for (const url of FOREIGN) assert.equal(mayNavigate(url), false, url);
});

test('external links: http and https only, without credentials, as parsed and normalised', () => {
  assert.equal(externalOpenTarget('https://github.com/tailwatch/tailwatch/issues'), 'https://github.com/tailwatch/tailwatch/issues');
  assert.equal(externalOpenTarget('HTTP://Example.COM'), 'http://example.com/');
  assert.equal(externalOpenTarget('https://example.com/a b?q=<x>'), 'https://example.com/a%20b?q=%3Cx%3E');
  assert.equal(externalOpenTarget('http://192.168.1.20:7717/'), 'http://192.168.1.20:7717/');
  for (const url of [
    'https://user:pass@example.com/',
    'https://127.0.0.1@evil.example/',
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'javascript:alert(1)',
    'data:text/html,hi',
    'app://tailwatch/index.html',
    'vscode://file/etc/passwd',
    'ms-settings:privacy',
    'smb://server/share',
    'mailto:a@example.com',
    'https://',
    'not a url',
    '',
  ]) {
    assert.equal(externalOpenTarget(url), null, url);
  }
});

test('permissions: only clipboard writes and the loopback server, only for the app\'s own page', () => {
  for (const requesting of ['app://tailwatch', 'app://tailwatch/index.html']) {
    assert.equal(mayGrantPermission('clipboard-sanitized-write', requesting), true, requesting);
    assert.equal(mayGrantPermission('loopback-network', requesting), true, requesting);
  }
  for (const permission of [
    'notifications',
    'clipboard-read',
    'deprecated-sync-clipboard-read',
    'media',
    'geolocation',
    'openExternal',
    'fullscreen',
    'pointerLock',
    'local-network',
    'local-network-access',
    'display-capture',
    'fileSystem',
    'hid',
    'usb',
    'serial',
    'unknown',
  ]) {
    assert.equal(mayGrantPermission(permission, 'app://tailwatch'), false, permission);
  }
  for (const requesting of FOREIGN) {
    assert.equal(mayGrantPermission('clipboard-sanitized-write', requesting), false, requesting);
    assert.equal(mayGrantPermission('loopback-network', requesting), false, requesting);
  }
});

test('IPC senders: the main frame of the app\'s page, nothing else', () => {
  assert.equal(isTrustedSender({ url: 'app://tailwatch/index.html', isMainFrame: true }), true);
  assert.equal(isTrustedSender({ url: 'app://tailwatch/index.html', isMainFrame: false }), false, 'a subframe');
  assert.equal(isTrustedSender(null), false, 'a frame that has gone');
  for (const url of FOREIGN) assert.equal(isTrustedSender({ url, isMainFrame: true }), false, url);
});

test('web preferences: the checklist, frozen, and no preload of its own', () => {
  assert.deepEqual(
    { ...WINDOW_WEB_PREFERENCES },
    {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  );
  assert.ok(Object.isFrozen(WINDOW_WEB_PREFERENCES));
  assert.throws(() => ((WINDOW_WEB_PREFERENCES as { sandbox: boolean }).sandbox = false), TypeError);
});
