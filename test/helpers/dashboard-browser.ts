// The dashboard in a real browser for the e2e tests (and screenshots, on request): Debian's Chromium through
// playwright-core, the bundle built once, a page opened with the token and its console watched.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { waitFor } from './wait';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots the tests take, to be looked at (not compared): `test-output/` is not committed. */
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots');
/**
 * Default wait for anything on the page. Generous because CI runs four test files at once on two cores: a click
 * there once waited over 5 s for the page's answer. Only waits that end when the page is right use it.
 */
export const PAGE_TIMEOUT_MS = 15_000;
/** Wait for the dashboard to load (the token redirect, then the bundle parsed and run). */
export const PAGE_LOAD_TIMEOUT_MS = 20_000;

/** Starts Chromium (the bundle in dist/ was built by test/run.mjs); throws with the fix when it is missing. */
export async function launchDashboardBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the dashboard tests need Chromium at ${CHROMIUM}, and it is not there (Debian/Ubuntu: apt-get install -y chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    timeout: 30_000,
  });
}

export interface Dashboard {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions of the page. */
  problems: string[];
}

export interface OpenOptions {
  /** The transport setting, stored before the page's script runs. */
  transport?: 'auto' | 'sse' | 'ws' | 'poll';
  /** Where to open the dashboard (a proxy in front of the server); the server itself by default. */
  base?: string;
  /** Routes to install before the page loads: on the context, whose routes also see the log worker's HTTP requests (not its WebSockets). */
  intercept?: (context: BrowserContext) => Promise<unknown>;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** The browser's time zone (an IANA name); the machine's unless given. */
  timezoneId?: string;
}

export async function openDashboard(
  browser: Browser,
  server: { url: string; token: string },
  t: { after(fn: () => Promise<void>): void },
  options: OpenOptions = {},
): Promise<Dashboard> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
    acceptDownloads: true,
  });
  t.after(() => context.close());
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const base = options.base ?? server.url;
  if (options.transport) {
    const key = `tailwatch.settings@${new URL(base).origin}`;
    await context.addInitScript(`localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify({ transport: options.transport }))})`);
  }
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await options.intercept?.(context);
  // Loading the bundle takes a loaded 2-core machine longer than anything drawn after it.
  await page.goto(new URL(`/?token=${server.token}`, base).href, { timeout: PAGE_LOAD_TIMEOUT_MS });
  return { page, context, problems };
}

/** Waits for the status badge to say connected; returns the transport it names. */
export async function connectedVia(page: Page, timeout = PAGE_TIMEOUT_MS): Promise<string | null> {
  const badge = page.locator('#status[data-status="connected"]');
  await badge.waitFor({ timeout });
  return badge.getAttribute('data-transport');
}

/** Screenshots are taken on request only (`TAILWATCH_SCREENSHOTS=1 npm test -- e2e`): no test asserts on them. */
export const SCREENSHOTS_WANTED = process.env.TAILWATCH_SCREENSHOTS === '1';

/**
 * Saves the page as test-output/screenshots/NAME.png when screenshots are wanted, after `settleMs` (for charts
 * that fill in over a few seconds); else nothing. The path, or null.
 */
export async function screenshot(page: Page, name: string, settleMs = 0): Promise<string | null> {
  if (!SCREENSHOTS_WANTED) return null;
  if (settleMs > 0) await page.waitForTimeout(settleMs);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Runs in the page: the tests are type-checked without the DOM's types, so page code is a string. */
export const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

/** Polls an expression in the page until it is truthy. (waitForFunction would compile it with eval, which the page's CSP forbids.) */
export function untilInPage<T>(page: Page, expression: string, timeout = PAGE_TIMEOUT_MS): Promise<T> {
  return waitFor(() => inPage<T>(page, expression), `in the page: ${expression.slice(0, 300)}`, timeout);
}
