// The annual report from records in a real browser (issue 13): the 负责人 opens last year's
// draft, follows a cell of the computed tables to the records it counts, records a decision
// on each warning, submits, signs and publishes (条例 art. 49, 50); the portal's 年报 column then
// shows the whole report with its publication date. The superior office's page shows the
// subtree and the cell-by-cell sum. axe-core on each page.

import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, accessibilityViolations, browserTest, login } from './helpers.mjs';

// Deadlines and publication dates are Beijing days (UTC+8), whatever the machine's zone.
const BEIJING = new Date(Date.now() + 8 * 3600 * 1000);
// The demo leaves last year's report in draft.
const YEAR = BEIJING.getUTCFullYear() - 1;
const YEAR_PAGE = `/console/organs/1/reports/${YEAR}`;

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.click(selector)]);
  const error = page.locator('#step-error');
  if (await error.count()) throw new Error(await error.innerText());
}

async function noSeriousViolations(page, what) {
  const violations = await accessibilityViolations(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
}

browserTest('the 负责人 drills into a computed cell, decides the warnings, signs and publishes last year', async (page) => {
  await login(page, 'fuzeren', DEMO_PASSWORD);
  await page.goto(`${BASE}/console/organs/1/reports`);
  await noSeriousViolations(page, 'report years');
  await page.goto(`${BASE}${YEAR_PAGE}`);
  assert.ok((await page.locator('#state').innerText()).includes('起草中'));
  await noSeriousViolations(page, 'report year');

  // The computed tables: every number is a link to the records it counts.
  await page.click(`main a[href="${YEAR_PAGE}/computed"]`);
  const cells = page.locator('.computed-report a[href*="/cells/"]');
  assert.ok((await cells.count()) > 100, 'every cell of 表二–表四 links to its records');
  await noSeriousViolations(page, 'computed report');
  const total = page.locator('.computed-report a[href$="/cells/applications/new_received/total"]');
  assert.equal(await total.count(), 1);
  const printed = Number((await total.innerText()).trim());
  await Promise.all([page.waitForLoadState('load'), total.click()]);
  const rows = await page.locator('main table.grid tbody tr').count();
  assert.equal(rows, printed, '本年新收 总计 lists as many cases as it counts');
  await noSeriousViolations(page, 'cell records');

  // Each warning needs a decision with a reason before publication.
  await page.goto(`${BASE}${YEAR_PAGE}`);
  for (let i = 0; i < 30; i += 1) {
    const form = page.locator('table.findings form');
    if ((await form.count()) === 0) break;
    await form.first().locator('input[name=reason]').fill('浏览器测试：已逐项核对');
    await submit(page, 'table.findings form >> nth=0 >> button[type=submit]');
  }
  assert.equal(await page.locator('table.findings .finding-error').count(), 0, 'no check error');
  await submit(page, `form[action="${YEAR_PAGE}/submit"] button`);
  assert.ok((await page.locator('#state').innerText()).includes('待签发'));
  await submit(page, `form[action="${YEAR_PAGE}/sign"] button`);
  await submit(page, `form[action="${YEAR_PAGE}/publish"] button`);
  assert.ok((await page.locator('#state').innerText()).includes('已发布'));

  // The portal shows the whole report, dated the day it was published.
  await page.goto(`${BASE}/zwgk/nianbao/${YEAR}`);
  assert.equal(await page.locator('.report-tables table').count(), 3);
  const main = await page.locator('main').innerText();
  assert.ok(main.includes('一、总体情况'), main.slice(0, 400));
  assert.ok(main.includes('六、其他需要报告的事项'));
  const printedToday = `${BEIJING.getUTCFullYear()}年${BEIJING.getUTCMonth() + 1}月${BEIJING.getUTCDate()}日`;
  assert.ok(main.includes(printedToday), `dated ${printedToday}`);
  await noSeriousViolations(page, 'published report');
});

browserTest('the 2022 report reads as the seed prints it, narrative and date included', async (page) => {
  await page.goto(`${BASE}/zwgk/nianbao/2022`);
  const main = await page.locator('main').innerText();
  for (const part of ['一、总体情况', '二、主动公开政府信息情况', '五、', '六、其他需要报告的事项', '388', '2023年1月11日']) {
    assert.ok(main.includes(part), part);
  }
});

browserTest('the superior office sees its subtree and the consolidated 2022 report', async (page) => {
  await login(page, 'fuzeren', DEMO_PASSWORD);
  await page.goto(`${BASE}/console/organs/1/superior?year=2022`);
  const organs = await page.locator('table#organs tbody tr').allInnerTexts();
  assert.ok(organs.length >= 3, organs.join(' | '));
  assert.ok(organs.some((r) => r.includes('建设局')), organs.join(' | '));
  await noSeriousViolations(page, 'superior office');
});
