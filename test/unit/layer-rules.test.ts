// The architecture's import rules, held to the table in docs/architecture.md: every import of main/,
// protocol/, preload/ and renderer/ goes only where its layer's row allows, and no folder of main/ or
// renderer/ takes part in an import cycle with another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHECKED = ['main', 'protocol', 'preload', 'renderer'];

interface Layer {
  name: string;
  /** Repository paths: a folder ends with `/`. */
  where: string[];
  layers: Set<string>;
  packages: Set<string>;
  /** Packages it may import types of only (`import type`). */
  typePackages: Set<string>;
}

/** The rows between `<!-- layer-rules -->` and `<!-- /layer-rules -->` in docs/architecture.md. */
function readLayers(): Layer[] {
  const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const block = /<!-- layer-rules -->([\s\S]*?)<!-- \/layer-rules -->/.exec(doc);
  assert.ok(block, 'docs/architecture.md has the layer table between <!-- layer-rules --> and <!-- /layer-rules -->');
  const layers: Layer[] = [];
  for (const line of block[1]!.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== 3 || cells[0] === 'layer' || /^-+$/.test(cells[0]!)) continue;
    const [name, where, may] = cells as [string, string, string];
    const layer: Layer = { name, where: [...where.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), layers: new Set(), packages: new Set(), typePackages: new Set() };
    for (const item of may.split(',').map((s) => s.trim())) {
      if (item === '—' || item === '') continue;
      const pkg = /^`([^`]+)`( \(types\))?$/.exec(item);
      if (pkg) (pkg[2] ? layer.typePackages : layer.packages).add(pkg[1]!);
      else layer.layers.add(item);
    }
    layers.push(layer);
  }
  const names = new Set(layers.map((l) => l.name));
  for (const l of layers) for (const other of l.layers) assert.ok(names.has(other), `layer "${l.name}" may import "${other}", which is no layer of the table`);
  return layers;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(e.name) ? [path.split(sep).join('/')] : [];
  });
}

/** The layer a repository path belongs to: the row whose `where` is its longest prefix. */
function layerOf(layers: Layer[], path: string): Layer | undefined {
  let best: { layer: Layer; length: number } | undefined;
  for (const layer of layers) {
    for (const where of layer.where) {
      const hit = where.endsWith('/') ? path.startsWith(where) : path === where;
      if (hit && (!best || where.length > best.length)) best = { layer, length: where.length };
    }
  }
  return best?.layer;
}

interface Import {
  specifier: string;
  typeOnly: boolean;
}

/** Static imports and re-exports, side-effect imports and dynamic `import('…')`, comments left out. */
function importsOf(text: string): Import[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: Import[] = [];
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    out.push({ specifier: m[3]!, typeOnly: m[2] !== undefined });
  }
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ specifier: m[1]!, typeOnly: false });
  return out;
}

/** A relative specifier as a repository path (the file it names). */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(root, dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate).split(sep).join('/');
  }
  return relative(root, base).split(sep).join('/');
}

function packageOf(specifier: string): string {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return 'node:*';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const layers = readLayers();
const files = CHECKED.flatMap(sourceFiles);

test('the table itself has no cycle: each layer sits above the ones it may import', () => {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    assert.notEqual(state.get(name), 'open', `the table's layers import in a cycle: ${[...path, name].join(' → ')}`);
    if (state.get(name) === 'done') return;
    state.set(name, 'open');
    for (const next of byName.get(name)!.layers) visit(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const layer of layers) visit(layer.name, []);
});

test('every source file belongs to a layer of the table', () => {
  const orphans = files.filter((f) => layerOf(layers, f) === undefined);
  assert.deepEqual(orphans, [], `files in no layer of docs/architecture.md: ${orphans.join(', ')}`);
});

test('every import goes only where its layer may (the table in docs/architecture.md)', () => {
  const wrong: string[] = [];
  for (const file of files) {
    const layer = layerOf(layers, file);
    if (!layer) continue;
    for (const { specifier, typeOnly } of importsOf(readFileSync(join(root, file), 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        const to = layerOf(layers, target);
        if (to === layer) continue;
        if (!to) wrong.push(`${file}: imports ${specifier} (${target}), which is in no layer`);
        else if (!layer.layers.has(to.name)) wrong.push(`${file}: imports ${specifier}: ${layer.name} may not import ${to.name}`);
      } else {
        const pkg = packageOf(specifier);
        if (layer.packages.has(pkg) || (typeOnly && layer.typePackages.has(pkg))) continue;
        wrong.push(`${file}: imports ${typeOnly ? 'types of ' : ''}${specifier}: ${layer.name} may not import \`${pkg}\``);
      }
    }
  }
  assert.deepEqual(wrong, [], `imports against the layer table:\n  ${wrong.join('\n  ')}`);
});

test('no folder of main/ or renderer/ is in an import cycle with another', () => {
  const edges = new Map<string, Set<string>>();
  for (const file of files.filter((f) => f.startsWith('main/') || f.startsWith('renderer/'))) {
    const from = dirname(file);
    for (const { specifier } of importsOf(readFileSync(join(root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const to = dirname(resolveRelative(file, specifier));
      if (to === from || !(to.startsWith('main') || to.startsWith('renderer'))) continue;
      let set = edges.get(from);
      if (!set) edges.set(from, (set = new Set()));
      set.add(to);
    }
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (dir: string): void => {
    state.set(dir, 'open');
    path.push(dir);
    for (const next of edges.get(dir) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(dir, 'done');
  };
  for (const dir of [...edges.keys()].sort()) if (!state.has(dir)) visit(dir);
  assert.deepEqual(cycles, [], `folder import cycles:\n  ${cycles.join('\n  ')}`);
});
