// `npm run fuzz [-- options]`: every fuzz family for a time budget, seeded; prints the seed, the inputs
// tried per family and every finding with its shrunk counterexample and a replay line. Exit code 1 on any
// finding. See docs/fuzzing.md.
//
//   --minutes N        total budget, shared between the families (default 10)
//   --seed S           base seed (default: random, printed)
//   --family NAME      only this family (repeatable)
//   --property NAME    only this property (repeatable)
//   --replay F/P:SEED:PATH   replay (and shrink further) one counterexample, as printed by a finding
//   --exclude-known    count the bugs of known-bugs.ts and go on, instead of stopping at them
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatFinding, replay, runFamily, type FamilyResult, type FuzzOptions } from './harness';
import { FAMILIES } from './families';
import { KNOWN_BUGS } from './known-bugs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function usage(message: string): never {
  process.stderr.write(`fuzz: ${message}\nusage: npm run fuzz -- [--minutes N] [--seed S] [--family NAME]… [--property NAME]… [--replay F/P:SEED:PATH] [--exclude-known]\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        minutes: { type: 'string' },
        seed: { type: 'string' },
        family: { type: 'string', multiple: true },
        property: { type: 'string', multiple: true },
        replay: { type: 'string' },
        'exclude-known': { type: 'boolean' },
      },
      strict: true,
    });
  } catch (err) {
    return usage((err as Error).message.split('\n')[0]!);
  }
})();

const minutes = values.minutes === undefined ? 10 : Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0) usage(`--minutes: expected a positive number, got ${values.minutes}`);
const seed = values.seed === undefined ? (Math.random() * 2 ** 31) | 0 : Number(values.seed);
if (!Number.isSafeInteger(seed)) usage(`--seed: expected a whole number, got ${values.seed}`);
const names = values.family ?? [];
for (const n of names) if (!FAMILIES.some((f) => f.name === n)) usage(`--family: no family ${n} (${FAMILIES.map((f) => f.name).join(', ')})`);

const options: FuzzOptions = {
  seed,
  excludeKnown: values['exclude-known'] === true,
  stepTimeoutMs: 10_000,
  log: (line) => process.stdout.write(`${line}\n`),
};

// The `cli` family runs dist/cli.js: build it as `npm test` does.
const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) {
  process.stderr.write('fuzz: the build failed\n');
  process.exit(1);
}

if (values.replay !== undefined) {
  const m = /^([^/]+)\/([^:]+):(-?\d+):([\d:]+)$/.exec(values.replay);
  if (!m) usage(`--replay: expected FAMILY/PROPERTY:SEED:PATH, got ${values.replay}`);
  const family = FAMILIES.find((f) => f.name === m[1]);
  if (!family) usage(`--replay: no family ${m[1]}`);
  const finding = await replay(family, m[2]!, Number(m[3]), m[4]!, options);
  if (finding) {
    console.log(formatFinding(finding));
    process.exit(1);
  }
  console.log('replay: the counterexample passes now');
  process.exit(0);
}

const families = FAMILIES.filter((f) => names.length === 0 || names.includes(f.name));
const budgetMs = minutes * 60_000;
console.log(`fuzz: seed ${seed}, ${minutes} min over ${families.length} families (${families.map((f) => f.name).join(', ')})`);
const results: FamilyResult[] = [];
const started = Date.now();
for (const [i, family] of families.entries()) {
  // What the families before left of the budget, shared evenly by the ones still to run.
  const share = (budgetMs - (Date.now() - started)) / (families.length - i);
  console.log(`\n== ${family.name}: ${family.summary} (${(share / 1000).toFixed(0)} s)`);
  const result = await runFamily(family, { ...options, budgetMs: Math.max(1000, share), only: values.property });
  results.push(result);
  const perMinute = result.inputs / (result.ms / 60_000);
  const props = Object.entries(result.perProperty).map(([p, n]) => `${p} ${n}`).join(', ');
  console.log(`${family.name}: ${result.inputs} inputs in ${(result.ms / 1000).toFixed(1)} s (${perMinute.toFixed(0)}/min): ${props}`);
  for (const m of result.memory) console.log(`  memory: ${m.what}: ${(m.bytes / 2 ** 20).toFixed(1)} MiB (bound ${(m.bound / 2 ** 20).toFixed(0)} MiB)`);
  for (const [what, n] of Object.entries(result.repeats)) console.log(`  failed again ${n} times after its finding: ${what}`);
  for (const [bug, n] of Object.entries(result.knownHits)) console.log(`  known bug hit ${n} times: ${bug}: ${KNOWN_BUGS[bug] ?? ''}`);
}

const findings = results.flatMap((r) => r.findings);
console.log(`\nfuzz: seed ${seed}; ${results.map((r) => `${r.family} ${r.inputs}`).join(', ')} inputs; ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
for (const f of findings) console.log(formatFinding(f));
process.exit(findings.length > 0 ? 1 : 0);
