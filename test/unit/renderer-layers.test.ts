import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// The dashboard's layers (docs/architecture.md): what each folder or top file of renderer/ may import.
// services ← (stream, log-worker, log-panel, charts, desktop) ← frame ← app.ts; the page–worker contract
// (worker-protocol.ts) sits under them all, beside protocol/.
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  'worker-protocol.ts': ['protocol'],
  services: ['protocol', 'worker-protocol.ts'],
  stream: ['protocol', 'worker-protocol.ts', 'services'],
  'log-worker': ['protocol', 'worker-protocol.ts', 'services', 'stream'],
  'log-worker-client.ts': ['worker-protocol.ts'],
  'log-panel': ['protocol', 'worker-protocol.ts', 'services', 'log-worker-client.ts'],
  charts: ['protocol', 'worker-protocol.ts', 'services', 'stream', 'npm:chart.js'],
  desktop: ['protocol', 'worker-protocol.ts', 'services'],
  frame: ['protocol', 'worker-protocol.ts', 'services', 'desktop'],
  'app.ts': ['protocol', 'worker-protocol.ts', 'services', 'stream', 'log-worker-client.ts', 'log-panel', 'charts', 'desktop', 'frame', 'styles'],
  styles: [],
  static: [],
  'css-imports.d.ts': [],
  'tsconfig.json': [],
};

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER = join(ROOT, 'renderer');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** The layer of a path: its folder under renderer/, a top file of renderer/ (`./worker-protocol` is its .ts), or `protocol`. */
function layerOf(path: string): string {
  const fromRoot = relative(ROOT, path).split(sep);
  if (fromRoot[0] !== 'renderer') return fromRoot[0]!;
  const top = fromRoot[1]!;
  return fromRoot.length === 2 && !/\.\w+$/.test(top) ? `${top}.ts` : top;
}

/** Every module a file imports (static, side-effect, re-export or dynamic), as written. */
function importsOf(text: string): string[] {
  // Comments first: a header may quote an import.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  for (const m of code.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specifiers.push((m[1] ?? m[2] ?? m[3])!);
  }
  return specifiers;
}

test('every renderer module imports only what its layer may', () => {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const file of files(RENDERER)) {
    const layer = layerOf(file);
    seen.add(layer);
    const allowed = MAY_IMPORT[layer];
    if (allowed === undefined) {
      problems.push(`${relative(ROOT, file)}: renderer/${layer} is not in the layer table`);
      continue;
    }
    if (!file.endsWith('.ts')) continue;
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = specifier.startsWith('.') ? layerOf(join(dirname(file), specifier)) : `npm:${specifier}`;
      if (target !== layer && !allowed.includes(target)) problems.push(`${relative(ROOT, file)} imports ${specifier} (${target})`);
    }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual([...seen].sort(), Object.keys(MAY_IMPORT).sort(), 'the table names what is there');
});

test('the layer table itself has no cycle', () => {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (layer: string, path: readonly string[]): void => {
    if (state.get(layer) === 'done') return;
    assert.notEqual(state.get(layer), 'visiting', `cycle: ${[...path, layer].join(' → ')}`);
    state.set(layer, 'visiting');
    for (const next of MAY_IMPORT[layer] ?? []) visit(next, [...path, layer]);
    state.set(layer, 'done');
  };
  for (const layer of Object.keys(MAY_IMPORT)) visit(layer, []);
});
