// `npm test`: every *.test.ts under test/ with Node's test runner (TypeScript through tsx), the
// spec report on stdout, and as the last line `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

// Built once, here: the CLI and browser tests run the bundle, and test files run in parallel.
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) {
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

let files = find(join(root, 'test')).sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => relative(root, f).includes(o)));

// Most test files spend their time waiting (for files, sockets, a browser), not computing: several run at
// once even on a 2-core machine. TAILWATCH_TEST_CONCURRENCY=1 runs them one by one.
const concurrency = Number(process.env.TAILWATCH_TEST_CONCURRENCY) || Math.max(4, 2 * availableParallelism());

const out = mkdtempSync(join(tmpdir(), 'tailwatch-test-'));
const summaryFile = join(out, 'summary.json');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    '--test-timeout=180000',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'test', 'summary-reporter.mjs')}`, `--test-reporter-destination=${summaryFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
let summary = { passed: 0, failed: 1, skipped: 0 };
try {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  console.error('test runner produced no summary (exit status %s)', result.status);
}
rmSync(out, { recursive: true, force: true });
if (result.status !== 0 && summary.failed === 0) summary.failed = 1;
console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
process.exit(summary.failed > 0 ? 1 : 0);
