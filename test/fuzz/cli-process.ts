// Family `cli`: the WebSocket and HTTP properties against the real CLI (`node dist/cli.js serve`) in a
// child process, so that what would kill the process is seen as its exit, and its shutdown on SIGTERM
// (within 2 s, exit code 0) is checked each time a session closes.
import type { AnyProperty, Family } from './harness';
import { httpProperties } from './http-requests';
import { startCli } from './targets';
import { serverSession, wsProperties } from './ws-messages';

const prefixed = (prefix: string, properties: AnyProperty[]): AnyProperty[] => properties.map((p) => ({ ...p, name: `${prefix}.${p.name}` }));

export const cliFamily: Family = {
  name: 'cli',
  summary: 'the ws and http properties against `node dist/cli.js serve` in a child process',
  async open(options) {
    const target = await startCli();
    return serverSession(target, [...prefixed('ws', wsProperties(target, options)), ...prefixed('http', httpProperties(target, options))]);
  },
};
