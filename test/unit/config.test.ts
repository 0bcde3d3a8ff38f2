import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { helpText, parseCommandLine } from '../../main/app/command-line';
import { ConfigError, DEFAULTS, makeConfig } from '../../main/app/options';
import { resolveToken } from '../../main/app/access-policy';
import { testDir } from '../helpers/temp-dir';

const serve = (...args: string[]) => parseCommandLine(args, {}).config;
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  return 'no error';
};

test('defaults match the contract', () => {
  const c = serve();
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 7717);
  assert.equal(c.backfill, 1000);
  assert.equal(c.token, null);
  assert.equal(c.gzip, 'auto');
  assert.ok(DEFAULTS.ringEvents >= 100_000);
});

test('repeatable options, byte sizes, the token from the environment', () => {
  const c = serve('serve', '--dir', '/a', '--dir', '/b', '--include', '*.log', '--ring-bytes', '64M', '--max-line-bytes', '8k', '--poll');
  assert.deepEqual(c.dir, ['/a', '/b']);
  assert.deepEqual(c.include, ['*.log']);
  assert.equal(c.ringBytes, 64 * 1024 * 1024);
  assert.equal(c.maxLineBytes, 8 * 1024);
  assert.equal(c.poll, true);
  assert.equal(parseCommandLine([], { TAILWATCH_TOKEN: 'from-env' }).config.token, 'from-env');
  assert.equal(parseCommandLine(['--token', 'flag'], { TAILWATCH_TOKEN: 'from-env' }).config.token, 'flag');
  assert.equal(parseCommandLine(['--help']).command, 'help');
  assert.equal(parseCommandLine(['serve', '-v']).command, 'version');
});

test('bad options name the option', () => {
  assert.match(errorOf(() => serve('--port', '-1')), /--port/);
  assert.match(errorOf(() => serve('--port', '1.5')), /--port/);
  assert.match(errorOf(() => serve('--ring-bytes', '12 parsecs')), /--ring-bytes/);
  assert.match(errorOf(() => serve('--unknown')), /--unknown/);
  assert.match(errorOf(() => serve('--dir')), /--dir/);
  assert.match(errorOf(() => serve('serve', 'extra')), /command/);
  assert.match(errorOf(() => makeConfig({ port: 'x' as unknown as number })), /"port"/);
});

test('a negative number gets the option\'s own range, not parseArgs "ambiguous"', () => {
  assert.equal(errorOf(() => serve('--backfill', '-5')), '--backfill: expected a whole number from 0 to 1000000, got "-5"');
  assert.equal(errorOf(() => serve('--port', '-1')), '--port: expected a whole number from 0 to 65535, got "-1"');
  assert.equal(errorOf(() => serve('--max-files', '-3')), '--max-files: expected a whole number from 1 to 1000000, got "-3"');
  assert.equal(errorOf(() => serve('--backfill=-5')), '--backfill: expected a whole number from 0 to 1000000, got "-5"');
  assert.equal(errorOf(() => serve('--ring-bytes', '-1')), '--ring-bytes: expected a byte count from 1048576 to 1099511627776, got "-1"');
  assert.equal(errorOf(() => makeConfig({ backfill: -5 })), '"backfill" in options: expected a whole number from 0 to 1000000, got -5');
  // Only a number option takes a dash-word as its value: a path option still refuses `--dir --poll`.
  assert.match(errorOf(() => serve('--dir', '--poll')), /--dir/);
  assert.match(errorOf(() => serve('--dir', '-5')), /--dir' argument is ambiguous/);
  assert.match(errorOf(() => serve('--', '--port', '-1')), /unknown command "--port -1"/, 'after --, words are not options');
});

test('a glob with an unclosed [, { or ( names the option and the glob, from the command line or a config file', async (t) => {
  assert.equal(errorOf(() => serve('--include', '[abc')), `--include: "[abc" has an unclosed '['; a literal [ is written \\[`);
  assert.equal(errorOf(() => serve('--exclude', '**/*.{log')), `--exclude: "**/*.{log" has an unclosed '{'; a literal { is written \\{`);
  assert.deepEqual(serve('--include', '\\[abc]', '--include', '*.{log,txt}').include, ['\\[abc]', '*.{log,txt}']);
  const dir = await testDir(t);
  const file = join(dir, 'tw.json');
  await writeFile(file, JSON.stringify({ include: ['*.log', '[abc'] }));
  assert.equal(errorOf(() => serve('--config', file)), `"include" in ${file}: "[abc" has an unclosed '['; a literal [ is written \\[`);
  await writeFile(file, JSON.stringify({ exclude: '*.{log' }));
  assert.equal(errorOf(() => serve('--config', file)), `"exclude" in ${file}: "*.{log" has an unclosed '{'; a literal { is written \\{`);
});

test('config file: relative paths resolve against it; lists add up with the command line; the command line wins', async (t) => {
  const dir = await testDir(t);
  const file = join(dir, 'tw.json');
  await writeFile(file, JSON.stringify({ dir: 'logs', file: ['a.log', '/abs/b.log'], port: 9000, backfill: 5 }));
  const c = serve('--config', file, '--port', '9001', '--dir', '/x');
  assert.deepEqual(c.dir, [join(dir, 'logs'), '/x']);
  assert.deepEqual(c.file, [join(dir, 'a.log'), '/abs/b.log']);
  assert.equal(c.port, 9001);
  assert.equal(c.backfill, 5);
});

test('a non-loopback server needs a strong token; a random one is strong', () => {
  assert.match(errorOf(() => resolveToken(makeConfig({ host: '0.0.0.0', token: 'short' }))), /--token/);
  assert.equal(resolveToken(makeConfig({ host: '0.0.0.0', token: 'x'.repeat(16) })), 'x'.repeat(16));
  assert.equal(resolveToken(makeConfig({ host: '127.0.0.1', token: 'short' })), 'short');
  assert.ok(resolveToken(makeConfig({ host: '0.0.0.0' })).length >= 32);
  assert.notEqual(resolveToken(makeConfig()), resolveToken(makeConfig()));
});

test('help lists every option', () => {
  const text = helpText('1.2.3');
  for (const opt of ['--dir', '--file', '--include', '--exclude', '--host', '--port', '--token', '--backfill', '--config', '--allow-host', '--gzip', '--follow-symlinks', '--max-clients-per-address']) {
    assert.ok(text.includes(opt), opt);
  }
});
