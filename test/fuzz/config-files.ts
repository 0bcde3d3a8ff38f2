// Family `config`: parseCommandLine and loadConfigFile (main/core/config.ts) with generated JSON config
// files (any keys, values of any type and depth, numbers and sizes at and past their bounds), files that
// are not JSON (invalid UTF-8, a BOM, text), and generated command lines.
// Oracles: a result or a ConfigError with a non-empty one-line message, never another exception; a key
// that is not an option is refused; a config that parsed is accepted again by makeConfig unchanged.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseCommandLine } from '../../main/app/command-line';
import { ConfigError, DEFAULTS, makeConfig } from '../../main/app/options';
import { expect, heapGrowthFromNow, MiB, Violation, type Family, type Property } from './harness';

const KEYS = Object.keys(DEFAULTS);
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const FLAGS = [...KEYS.map((k) => `--${kebab(k)}`), '--config', '--help', '--version', '-h', '-v'];

/** A value a config key might be given: right, nearly right, or of any type. */
const optionValue = fc.oneof(
  fc.constantFrom(0, 1, -1, 7717, 65535, 65536, 1e3, 1.5, -0, 2 ** 53, 1e308, 100, 99, 1_000_000, 1_000_001, 2 ** 40, 2 ** 40 + 1),
  fc.constantFrom('64K', '64k', '1M', '32MiB', '1g', '1 G', '0', '', ' ', '10', '-1', '1e3', '0x10', '64KB', '64Kb', '99999999999999999999K', 'auto', 'on', 'off', 'ON'),
  fc.constantFrom(true, false, null, [], {}, ['a'], [''], [1], ['/tmp'], ['/tmp', 5], 'localhost', '0.0.0.0', '::', 'app://tailwatch'),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const configKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'config', 'help', 'Port', 'max_files', 'max-files', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

interface FileInput {
  entries: [string, unknown][];
  /** A value nested this deep under one key, built as text (0: none). */
  deep: { key: string; depth: number } | null;
}

function fileText(input: FileInput): string {
  // Keys written as JSON text so that "__proto__" stays an own key, as JSON.parse makes it.
  const parts = input.entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  if (input.deep) parts.push(`${JSON.stringify(input.deep.key)}:${'['.repeat(input.deep.depth)}${']'.repeat(input.deep.depth)}`);
  return `{${parts.join(',')}}`;
}

/** The oracle: a result, or a ConfigError with a one-line message. */
function parse(argv: string[], env: NodeJS.ProcessEnv = {}): ReturnType<typeof parseCommandLine> | ConfigError {
  try {
    return parseCommandLine(argv, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) {
      throw new Violation('not a ConfigError', `${argv.join(' ').slice(0, 200)} threw ${(err as Error)?.constructor?.name}: ${String((err as Error)?.message ?? err).slice(0, 300)}`);
    }
    expect(err.message.length > 0 && !/[\r\n]/.test(err.message), 'one-line message', () => `ConfigError message has ${err.message.split(/\r\n|\r|\n/).length} lines: ${JSON.stringify(err.message).slice(0, 300)}`);
    return err;
  }
}

/** A config that parsed is a valid config: makeConfig takes it and gives it back unchanged. */
function checkRoundTrip(result: ReturnType<typeof parseCommandLine> | ConfigError): void {
  if (result instanceof ConfigError || result.command !== 'serve') return;
  let again;
  try {
    again = makeConfig(result.config);
  } catch (err) {
    throw new Violation('round trip', `makeConfig refused what parseCommandLine gave: ${(err as Error).message.slice(0, 300)}`);
  }
  expect(JSON.stringify(again) === JSON.stringify(result.config), 'round trip', () => 'makeConfig changed a parsed config');
  for (const key of Object.keys(result.config)) expect(KEYS.includes(key), 'unknown key', () => `the config has a key that is no option: ${JSON.stringify(key)}`);
}

export const configFamily: Family = {
  name: 'config',
  summary: 'parseCommandLine / loadConfigFile with generated JSON files, bytes and command lines',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-fuzz-config-'));
    const file = join(dir, 'tailwatch.json');

    const jsonFiles: Property<FileInput> = {
      name: 'json-files',
      arbitrary: fc.record({
        entries: fc.array(fc.tuple(configKey, optionValue), { maxLength: 6 }),
        deep: fc.option(fc.record({ key: fc.constantFrom(...KEYS), depth: fc.integer({ min: 1, max: 30_000 }) }), { freq: 6, nil: null }),
      }),
      run: (input) => {
        writeFileSync(file, fileText(input));
        const result = parse(['serve', '--config', file]);
        const unknown = input.entries.find(([k]) => !KEYS.includes(k));
        if (unknown) expect(result instanceof ConfigError, 'unknown key', () => `a config file with the key ${JSON.stringify(unknown[0])} was taken`);
        checkRoundTrip(result);
      },
    };

    const fileBytes: Property<Uint8Array> = {
      name: 'file-bytes',
      arbitrary: fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => Buffer.from(s)),
        fc
          .tuple(fc.constantFrom('{"port": 0}', '{"dir": ["/tmp"]}', '{}', '[]', 'null', '"x"', '{"port": 0,}', '{\n"port":\n}', '\uFEFF{"port": 0}'), fc.nat(), fc.string({ maxLength: 4 }))
          .map(([json, at, junk]) => Buffer.from(json.slice(0, at % (json.length + 1)) + junk + json.slice(at % (json.length + 1)))),
        fc.constantFrom(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), Buffer.alloc(0)),
      ),
      run: (bytes) => {
        writeFileSync(file, bytes);
        checkRoundTrip(parse(['serve', '--config', file]));
      },
    };

    const commandLines: Property<{ argv: string[]; env: string | null }> = {
      name: 'command-lines',
      arbitrary: fc.record({
        argv: fc.array(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...FLAGS) },
            { weight: 3, arbitrary: optionValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')) },
            { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), fc.string({ maxLength: 8 })).map(([f, v]) => `${f}=${v}`) },
            { weight: 1, arbitrary: fc.constantFrom('serve', 'serve', 'agent', '--', '-', '---port', '--no-poll', '--port=', '-p', '--config=', '--config=/nonexistent/x.json', '--config=/') },
            { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
          ),
          { maxLength: 8 },
        ),
        env: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
      }),
      run: ({ argv, env }) => {
        checkRoundTrip(parse(argv, env === null ? {} : { TAILWATCH_TOKEN: env }));
      },
    };

    return {
      properties: [jsonFiles, fileBytes, commandLines],
      check: async () => undefined,
      memory: heapGrowthFromNow('heap growth while parsing configs (after GC)', 32 * MiB),
      close: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};
