// A node:test reporter that counts leaf tests (not suites) and writes them as one JSON object.
export default async function* summary(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    // A suite passes or fails with its tests: count it only when it fails on its own (a hook).
    if (data.details?.type === 'suite' && (event.type === 'test:pass' || data.details.error?.failureType === 'subtestsFailed')) continue;
    if (data.skip || data.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else counts.failed++;
  }
  yield JSON.stringify(counts);
}
