// Renders renderer/static/icon.svg to the PNGs the desktop app needs, with the same headless Chromium the
// tests use: build/icon.png (1024 px; electron-builder derives .icns and .ico from it) and the tray icons.
// Run by hand after changing the SVG: `node scripts/make-icons.mjs`; the PNGs are committed.
import { chromium } from 'playwright-core';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const svg = await readFile(join(root, 'renderer', 'static', 'icon.svg'), 'utf8');
const outputs = [
  [join(root, 'build', 'icon.png'), 1024],
  [join(root, 'main', 'shell', 'assets', 'tray.png'), 32],
  [join(root, 'main', 'shell', 'assets', 'tray@2x.png'), 64],
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
try {
  for (const [file, size] of outputs) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    await writeFile(file, await page.screenshot({ omitBackground: true }));
    await page.close();
  }
} finally {
  await browser.close();
}
