// A source's colour comes from its path: the same in every instance and any arrival order, 12 paths get 12
// colours, and the 12 colours of base.css are readable and distinct on both themes' backgrounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SourceInfo } from '../../protocol/events';
import { SourceDirectory } from '../../renderer/services/source-directory';
import { assignColours, homeSlot, SOURCE_COLOURS } from '../../renderer/services/source-colours';

const info = (id: string, path: string): SourceInfo => ({
  id, path, name: path.slice(path.lastIndexOf('/') + 1), state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0,
});

const PATHS = [
  '/var/log/nginx/access.log', '/var/log/nginx/error.log', '/var/log/syslog', '/srv/java/shop.log', '/srv/api/app.json.log',
  '/var/log/auth.log', '/var/log/kern.log', '/srv/worker/jobs.log', '/srv/db/postgres.log', '/var/log/dpkg.log',
  '/srv/cache/redis.log', '/srv/web/ansi.log',
];

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

test('the same path gets the same colour in every directory, whatever order the sources came in', () => {
  const colours = (order: readonly string[], byEvents: boolean): Map<string, number> => {
    const sources = new SourceDirectory();
    // Ids differ between runs of the page: only the path decides.
    const infos = order.map((path) => info(`id-${path.length}-${order.indexOf(path)}`, path));
    if (byEvents) for (const one of infos) sources.upsert(one);
    else sources.replaceAll(infos);
    return new Map(infos.map((one) => [one.path, sources.colour(one.id)]));
  };
  const first = colours(PATHS, false);
  for (let seed = 1; seed <= 20; seed++) assert.deepEqual(colours(shuffled(PATHS, seed), seed % 2 === 0), first, `order ${seed}`);
  // A lone source has its home slot.
  const alone = new SourceDirectory();
  alone.upsert(info('x', '/srv/java/shop.log'));
  assert.equal(alone.colour('x'), homeSlot('/srv/java/shop.log'));
});

test('12 distinct paths get 12 distinct colours; home slots collide and are resolved in path order', () => {
  const slots = assignColours(PATHS.map((path) => ({ id: path, path })));
  assert.equal(new Set(slots.values()).size, 12);
  // The paths do collide at home (else probing would be untested here).
  assert.ok(new Set(PATHS.map(homeSlot)).size < 12);
  for (let n = 1; n <= 40; n++) {
    const paths = Array.from({ length: n }, (_, k) => `/logs/service-${k}/app.log`);
    const assigned = assignColours(paths.map((path) => ({ id: path, path })));
    assert.equal(new Set(assigned.values()).size, Math.min(n, SOURCE_COLOURS), `${n} sources`);
  }
});

// ── the palette: WCAG contrast and OKLab distance of the --source-N values in base.css ──

const css = readFileSync(new URL('../../renderer/styles/base.css', import.meta.url), 'utf8');

/** The variables of each theme block of base.css: light (:root), dark by preference, dark by choice. */
function themeBlocks(): Record<string, string>[] {
  const blocks = [...css.matchAll(/(:root(?:\[data-theme-choice="dark"\]|:not\(\[data-theme-choice="light"\]\))?)\s*\{([^}]*)\}/g)];
  return blocks.map((block) => Object.fromEntries([...block[2]!.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()])));
}

const channel = (hex: string, i: number): number => {
  const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const luminance = (hex: string): number => 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2);
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
function oklab(hex: string): [number, number, number] {
  const [r, g, b] = [0, 1, 2].map((i) => channel(hex, i)) as [number, number, number];
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s, 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s, 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s];
}
const distance = (a: string, b: string): number => Math.hypot(...oklab(a).map((v, i) => v - oklab(b)[i]!));

test('the 12 source colours: contrast ≥ 3 on both backgrounds of each theme, and far apart from each other', () => {
  const blocks = themeBlocks();
  assert.equal(blocks.length, 3, 'light, dark by preference, dark by choice');
  const [light, darkByPreference, darkByChoice] = blocks as [Record<string, string>, Record<string, string>, Record<string, string>];
  for (let i = 0; i < SOURCE_COLOURS; i++) assert.equal(darkByPreference[`--source-${i}`], darkByChoice[`--source-${i}`], `dark --source-${i} the same in both blocks`);
  for (const [theme, vars] of [['light', light], ['dark', darkByChoice]] as const) {
    const background = [vars['--bg'] ?? light['--bg']!, vars['--bg-elev'] ?? light['--bg-elev']!];
    const colours = Array.from({ length: SOURCE_COLOURS }, (_, i) => vars[`--source-${i}`]);
    for (const [i, colour] of colours.entries()) {
      assert.match(colour ?? '', /^#[0-9a-f]{6}$/, `${theme} --source-${i}`);
      for (const bg of background) assert.ok(contrast(colour!, bg) >= 3, `${theme} --source-${i} ${colour} on ${bg}: ${contrast(colour!, bg).toFixed(2)}`);
    }
    // 0.1 in OKLab is several times the just-noticeable difference (about 0.02): no two look alike.
    for (let i = 0; i < SOURCE_COLOURS; i++) {
      for (let j = i + 1; j < SOURCE_COLOURS; j++) {
        const d = distance(colours[i]!, colours[j]!);
        assert.ok(d >= 0.1, `${theme} --source-${i} ${colours[i]} and --source-${j} ${colours[j]}: ${d.toFixed(3)}`);
      }
    }
  }
});
