// The headless entry: `tailwatch serve [options]`, `npm run serve -- [options]`, and `tailwatch agent …` (publishes
// to Redis, no listener).
import { networkInterfaces } from 'node:os';
import { helpText, parseCommandLine, type CliRequest } from './app/command-line';
import { ConfigError } from './app/options';
import { startTailwatch, urlHost, type RunningTailwatch } from './app/start-tailwatch';
import { followingLine, lookAtDirs, patternWarnings } from './app/start-report';
import { VERSION } from './app/package-info';
import { startAgent, type RunningAgent } from './app/start-agent';

/** SIGINT/SIGTERM must end the process within 2 s even if a peer holds a socket open. */
const SHUTDOWN_DEADLINE_MS = 1500;

function fail(message: string, code: number): never {
  process.stderr.write(`tailwatch: ${message}\n`);
  process.exit(code);
}

/** For a server on every interface: the addresses other machines can use. */
function reachableUrls(port: number, token: string): string[] {
  const urls: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (!i.internal && i.family === 'IPv4') urls.push(`http://${i.address}:${port}/?token=${encodeURIComponent(token)}`);
    }
  }
  return urls;
}

async function main(): Promise<void> {
  let request;
  try {
    request = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) fail(`${err.message} (see --help)`, 2);
    throw err;
  }
  if (request.command === 'help') return void process.stdout.write(helpText(VERSION) + '\n');
  if (request.command === 'version') return void process.stdout.write(VERSION + '\n');
  if (request.command === 'agent') return runAgent(request.config);

  let tw: RunningTailwatch;
  try {
    tw = await startTailwatch(request.config);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    fail((err as Error).message, 1);
  }
  // Before anything else is awaited: a signal during the start report must stop it cleanly too.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    tw.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const { config } = tw;
  process.stdout.write(`tailwatch ${VERSION} listening on ${tw.url}\n`);
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const local = `http://${wildcard ? '127.0.0.1' : urlHost(config.host)}:${tw.port}/?token=${encodeURIComponent(tw.token)}`;
  process.stdout.write(`dashboard: ${local}\n`);
  if (wildcard) for (const u of reachableUrls(tw.port, tw.token)) process.stdout.write(`dashboard: ${u}\n`);
  if (config.dir.length + config.file.length === 0) {
    process.stdout.write('no log sources: add --dir PATH or --file PATH (see --help)\n');
  } else {
    const sources = tw.sources();
    const dirs = await lookAtDirs(tw.roots().dirs, config.depth);
    for (const warning of patternWarnings(config, dirs, sources)) process.stderr.write(`tailwatch: warning: ${warning}\n`);
    process.stdout.write(`${followingLine(sources)}\n`);
  }
}

/** `tailwatch agent`: any failure to start (a bad option, Redis unreachable or refusing us) is exit code 2. */
async function runAgent(config: CliRequest['config']): Promise<void> {
  let agent: RunningAgent;
  try {
    agent = await startAgent(config);
  } catch (err) {
    fail((err as Error).message, 2);
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    agent.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`tailwatch ${VERSION} agent ${agent.host} publishing to ${agent.publishingTo}\n`);
  if (config.dir.length + config.file.length === 0) {
    process.stdout.write('no log sources: add --dir PATH or --file PATH (see --help)\n');
  } else {
    const sources = agent.sources();
    const dirs = await lookAtDirs(agent.roots().dirs, config.depth);
    for (const warning of patternWarnings(config, dirs, sources)) process.stderr.write(`tailwatch: warning: ${warning}\n`);
    process.stdout.write(`${followingLine(sources)}\n`);
  }
}

main().catch((err: unknown) => fail(`unexpected error: ${(err as Error).stack ?? String(err)}`, 1));
