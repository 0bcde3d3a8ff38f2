// A short run of every fuzz family inside `npm test` (a few seconds each, about 35 s in all), with a seed
// fixed for the run and printed: TAILWATCH_FUZZ_SEED=S npm test -- fuzz-short runs the same inputs again.
// The long run is `npm run fuzz` (docs/fuzzing.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFinding, runFamily } from './harness';
import { FAMILIES } from './families';

const SEED = Number(process.env.TAILWATCH_FUZZ_SEED ?? 20_261_207);
/** Seconds per family; the server families need more for their setup and slower inputs. */
const BUDGET_S: Record<string, number> = { ws: 5, http: 4, sse: 4, logs: 6, config: 2, renderer: 3, cli: 6 };

for (const family of FAMILIES) {
  test(`fuzz ${family.name} (seed ${SEED}): ${family.summary}`, async (t) => {
    const result = await runFamily(family, {
      seed: SEED,
      // TAILWATCH_FUZZ_EXCLUDE_KNOWN=1: the bugs of known-bugs.ts do not fail the test (they are counted).
      excludeKnown: process.env.TAILWATCH_FUZZ_EXCLUDE_KNOWN === '1',
      stepTimeoutMs: 10_000,
      budgetMs: (BUDGET_S[family.name] ?? 3) * 1000,
      shrinkMs: 10_000,
      log: () => undefined,
    });
    const props = Object.entries(result.perProperty).map(([p, n]) => `${p} ${n}`).join(', ');
    t.diagnostic(`seed ${SEED}: ${result.inputs} inputs in ${(result.ms / 1000).toFixed(1)} s (${props})`);
    for (const [bug, n] of Object.entries(result.knownHits)) t.diagnostic(`known bug hit ${n} times: ${bug}`);
    for (const m of result.memory) t.diagnostic(`${m.what}: ${(m.bytes / 2 ** 20).toFixed(1)} MiB (bound ${(m.bound / 2 ** 20).toFixed(0)} MiB)`);
    assert.ok(result.inputs > 0, 'the family tried no input');
    assert.equal(result.findings.length, 0, `\n${result.findings.map(formatFinding).join('\n')}\n(seed ${SEED}; replay with the line given, or TAILWATCH_FUZZ_SEED=${SEED})`);
  });
}
