// A fresh directory per test, removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export async function tempDir(prefix = 'tailwatch-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A new empty directory for this test, removed when the test ends. */
export async function testDir(t: TestContext, prefix?: string): Promise<string> {
  const dir = await tempDir(prefix);
  t.after(() => dir.remove());
  return dir.path;
}
