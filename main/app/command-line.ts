// The command line and the JSON config file: `[serve] [options]`, `--config FILE`, `--help`, `--version`.
// Both become one checked TailwatchConfig (options.ts); the command line wins over the file.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { describeValue } from '../../protocol/client-messages';
import { ConfigError, DEFAULTS, OPTIONS, kebab, merge, type TailwatchConfig } from './options';

/** Reads a JSON config file; paths in it are relative to the file. */
export function loadConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`--config: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // V8 quotes the text around the error, which may hold line breaks (ConfigError shows them as marks).
    throw new ConfigError(`--config: ${path} is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`--config: ${path} must hold a JSON object`);
  }
  const obj = json as Record<string, unknown>;
  const base = dirname(resolve(path));
  if (typeof obj.redisCa === 'string') obj.redisCa = resolve(base, obj.redisCa);
  for (const key of ['dir', 'file'] as const) {
    const v = obj[key];
    if (typeof v === 'string') obj[key] = resolve(base, v);
    else if (Array.isArray(v)) obj[key] = v.map((p) => (typeof p === 'string' ? resolve(base, p) : p));
  }
  return obj;
}

/**
 * `--backfill -5` as `--backfill=-5`, for the options that take a number: parseArgs would call the value
 * ambiguous (it starts with a dash), where the option's own check says what it takes. A word after any other
 * option is left alone, so `--dir --poll` is still refused as a missing value.
 */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    out.push(word);
    if (word === '--') return [...out, ...argv.slice(i + 1)];
    const key = Object.keys(OPTIONS).find((k) => word === `--${kebab(k)}`) as keyof TailwatchConfig | undefined;
    const kind = key && OPTIONS[key].kind;
    const next = argv[i + 1];
    if ((kind === 'int' || kind === 'bytes') && next !== undefined && /^-\d/.test(next)) {
      out[out.length - 1] = `${word}=${next}`;
      i++;
    }
  }
  return out;
}

export interface CliRequest {
  command: 'serve' | 'agent' | 'help' | 'version';
  config: TailwatchConfig;
}

/** Parses `[serve|agent] [options]`. Throws ConfigError with a one-line message naming the option. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = process.env): CliRequest {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const [key, spec] of Object.entries(OPTIONS)) {
    options[kebab(key)] = { type: spec.kind === 'bool' ? 'boolean' : 'string', multiple: spec.kind === 'list' };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(argv), options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages are long and multi-line; keep the first sentence, which names the option.
    const msg = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw new ConfigError(msg);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== 'serve' && positionals[0] !== 'agent')) {
    throw new ConfigError(`unknown command ${describeValue(positionals.join(' '))} (the commands are "serve" and "agent")`);
  }
  const command = positionals[0] === 'agent' ? 'agent' : 'serve';
  if (values.help) return { command: 'help', config: { ...DEFAULTS } };
  if (values.version) return { command: 'version', config: { ...DEFAULTS } };

  const config: TailwatchConfig = structuredClone({ ...DEFAULTS }) as TailwatchConfig;
  if (typeof values.config === 'string') merge(config, loadConfigFile(values.config), values.config);
  const fromCli: Record<string, unknown> = {};
  for (const key of Object.keys(OPTIONS)) {
    const v = values[kebab(key)];
    if (v !== undefined) fromCli[key] = v;
  }
  merge(config, fromCli, 'cli');
  if (command === 'agent') checkAgentConfig(config);
  else {
    for (const key of Object.keys(OPTIONS) as (keyof TailwatchConfig)[]) {
      if (OPTIONS[key].agent && config[key] !== DEFAULTS[key]) throw new ConfigError(`--${kebab(key)} is an option of "tailwatch agent"`);
    }
  }
  if (config.token === null && env.TAILWATCH_TOKEN) config.token = env.TAILWATCH_TOKEN;
  return { command, config };
}

/** What `tailwatch agent` cannot run without. */
function checkAgentConfig(config: TailwatchConfig): void {
  if (!config.redis) throw new ConfigError('agent: --redis URL is required (the Redis to publish to)');
  if (!config.hostName) throw new ConfigError('agent: --host-name NAME is required (the name this host publishes under)');
}

export function helpText(version: string): string {
  const rows = Object.entries(OPTIONS).map(([key, spec]) => {
    const flag = `--${kebab(key)}${spec.arg ? ' ' + spec.arg : ''}`;
    return `  ${flag.padEnd(30)} ${spec.help}`;
  });
  return [
    `tailwatch ${version}: live logs and system metrics in your browser`,
    '',
    'usage: tailwatch serve [options]',
    '       tailwatch agent --redis URL --host-name NAME [options]  (publish to Redis; no HTTP listener)',
    '       npm run serve -- [options]',
    '',
    'options:',
    ...rows,
    `  ${'--config FILE'.padEnd(30)} JSON file with the same keys (camelCase); the command line wins`,
    `  ${'--help, --version'.padEnd(30)} this text; the version`,
    '',
    'example: tailwatch serve --dir /var/log --exclude "**/journal/**"',
  ].join('\n');
}
