// Where the installed package is (to find dist/ and package.json) and its version.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  // From main/app/ when run from source, from dist/ when bundled: walk up to our package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tailwatch') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tailwatch: cannot find its package.json');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot();
export const VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
export const DASHBOARD_DIR = join(PACKAGE_ROOT, 'dist', 'renderer');
