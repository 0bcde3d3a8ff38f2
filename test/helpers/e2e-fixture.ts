// What every dashboard e2e file sets up once: Chromium, a temp folder with the log files it names, and a real
// tailwatch on 127.0.0.1 following them; all stopped after the file's tests. Call at the top level of a test
// file; the fields are there once its tests run.
import { after, before } from 'node:test';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startTailwatch, type RunningTailwatch, type TailwatchTimings } from '../../main/app/start-tailwatch';
import { makeConfig, type TailwatchConfig } from '../../main/app/options';
import { launchDashboardBrowser, openDashboard, type Dashboard, type OpenOptions } from './dashboard-browser';
import { tempDir } from './temp-dir';

export type TestHooks = { after(fn: () => Promise<void>): void };

export interface DashboardFixtureOptions {
  /** In the temp folder's name. */
  name: string;
  /** Log files written before the server starts: name → text. */
  files: Record<string, string>;
  /** Follow them each as a --file (default), or the folder as a --dir. */
  follow?: 'files' | 'dir';
  /** The layers' timings (short ones make a test wait less: a file gone from a --dir removed sooner). */
  timings?: TailwatchTimings;
  /** More server options (the token is one of 32 characters unless given). */
  config?: (dir: string) => Partial<TailwatchConfig>;
  /** Runs after the files are written and before the server starts: more server options (another origin to allow, say). */
  prepare?: () => Promise<Partial<TailwatchConfig> | void>;
  /** Runs once the server listens. */
  started?: (tw: RunningTailwatch) => void;
  /** Runs after the server stopped. */
  cleanup?: () => Promise<void>;
  /** What `open` uses unless told otherwise. */
  open?: OpenOptions;
}

export interface DashboardFixture {
  readonly browser: Browser;
  readonly tw: RunningTailwatch;
  /** The temp folder. */
  readonly dir: string;
  /** A file of the temp folder, by name. */
  path(name: string): string;
  /** A new browser context on the dashboard, closed after the test. */
  open(t: TestHooks, options?: OpenOptions): Promise<Dashboard>;
}

export function dashboardFixture(options: DashboardFixtureOptions): DashboardFixture {
  let browser: Browser | undefined;
  let tw: RunningTailwatch | undefined;
  let folder: Awaited<ReturnType<typeof tempDir>> | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e fixture's ${what} is not there: use it inside a test`);
    return value;
  };

  before(
    async () => {
      browser = await launchDashboardBrowser();
      folder = await tempDir(`tailwatch-e2e-${options.name}-`);
      const files = Object.keys(options.files).map((name) => join(folder!.path, name));
      for (const [name, text] of Object.entries(options.files)) await writeFile(join(folder.path, name), text);
      const extra = (await options.prepare?.()) ?? {};
      const follow = options.follow === 'dir' ? { dir: [folder.path] } : { file: files };
      const config = makeConfig({ port: 0, token: 'e'.repeat(32), ...follow, ...options.config?.(folder.path), ...extra });
      tw = await startTailwatch(config, options.timings ? { timings: options.timings } : {});
      options.started?.(tw);
    },
    { timeout: 180_000 },
  );

  after(async () => {
    await browser?.close();
    await tw?.close();
    await options.cleanup?.();
    await folder?.remove();
  });

  return {
    get browser() {
      return ready(browser, 'browser');
    },
    get tw() {
      return ready(tw, 'server');
    },
    get dir() {
      return ready(folder, 'folder').path;
    },
    path: (name) => join(ready(folder, 'folder').path, name),
    open: (t, openOptions = {}) => openDashboard(ready(browser, 'browser'), ready(tw, 'server'), t, { ...options.open, ...openOptions }),
  };
}
