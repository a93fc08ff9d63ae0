// Shared by the browser tests: one headless Debian chromium per test file (playwright-core),
// `browserTest` (a fresh page; a full-page screenshot in screenshots/ on failure), log-in, meta
// tags, and the axe-core accessibility check.

import { test, before, after } from 'node:test';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = (process.env.GONGKAI_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const DEMO_PASSWORD = 'gongkai-demo-2026';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const SCREENSHOTS = join(HERE, 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let context;
let profile;

before(async () => {
  profile = mkdtempSync(join(tmpdir(), 'gongkai-chromium-'));
  // launchPersistentContext gives chromium the fresh --user-data-dir created above.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'zh-CN',
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A second, separate browser session (its own cookies): another person at another desk. */
export async function otherSession() {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-chromium-'));
  const other = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'zh-CN',
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  return {
    context: other,
    async close() {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `body` with a fresh page; on failure saves a screenshot named after the test. */
export function browserTest(name, body) {
  test(name, async () => {
    const page = await context.newPage();
    try {
      await body(page);
    } catch (err) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = join(SCREENSHOTS, `${name.replace(/[^\w\u4e00-\u9fff-]+/g, '_')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(`screenshot: ${file}`);
      throw err;
    } finally {
      await page.close();
    }
  });
}

export async function meta(page, name) {
  return page.locator(`meta[name="${name}"]`).getAttribute('content');
}

export async function login(page, username, password) {
  await page.goto(`${BASE}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('form button[type=submit]')]);
}

/** axe-core's serious and critical violations on the page as it is (WCAG 2 A and AA rules). */
export async function accessibilityViolations(page) {
  // Through the devtools protocol, so the site's Content-Security-Policy (no inline scripts)
  // stays in force for the page itself.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
