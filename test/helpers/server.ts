// A real tailwatch on 127.0.0.1, port 0, following a fresh temp directory, for integration tests.
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTailwatch, type RunningTailwatch, type TailwatchTimings } from '../../main/app/start-tailwatch';
import type { TailwatchConfig } from '../../main/app/options';
import type { SourceInfo } from '../../protocol/events';
import { tempDir } from './temp-dir';
import { waitFor } from './wait';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestServer {
  tw: RunningTailwatch;
  dir: string;
  warnings: string[];
  /** `http://127.0.0.1:PORT` + path, with the token in the query when `auth`. */
  url(path: string, auth?: boolean): string;
  authHeader: Record<string, string>;
  /** Appends `count` lines `prefix N` (N from `from`) to a file in the directory. */
  append(file: string, from: number, count: number, prefix?: string): Promise<void>;
  /** Waits until the file is a live source; returns it. */
  source(file: string): Promise<SourceInfo>;
  close(): Promise<void>;
}

/** `timings`: the layers' timings for this server (short ones make a test wait less). */
export async function startTestServer(
  options: Partial<TailwatchConfig> = {},
  files: Record<string, string> = {},
  timings: TailwatchTimings = {},
): Promise<TestServer> {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) await appendFile(join(dir.path, name), text);
  const warnings: string[] = [];
  const tw = await startTailwatch(
    { port: 0, token: TEST_TOKEN, dir: [dir.path], ...options },
    { logger: { warn: (m) => warnings.push(m) }, timings },
  );
  const base = tw.url.replace(/\/$/, '');
  return {
    tw,
    dir: dir.path,
    warnings,
    url: (path, auth = false) => base + path + (auth ? (path.includes('?') ? '&' : '?') + `token=${TEST_TOKEN}` : ''),
    authHeader: { Authorization: `Bearer ${TEST_TOKEN}` },
    async append(file, from, count, prefix = 'line') {
      let text = '';
      for (let i = from; i < from + count; i++) text += `${prefix} ${i}\n`;
      await appendFile(join(dir.path, file), text);
    },
    source: (file) =>
      waitFor(() => tw.sources().find((s) => s.path === join(dir.path, file) && s.state === 'live'), `source ${file} to be live`),
    async close() {
      await tw.close();
      await dir.remove();
    },
  };
}
