// The 依申请公开 office in a real browser (issue 11): an applicant applies online on the portal,
// staff handle the case in the console — 补正 (条例第三十条), an extension requested by the
// 承办人 and approved by the 负责人 (第三十三条第二款), a 部分公开 reply (第三十七条) with its
// 答复告知书 — and the applicant follows it all on the tracking page. Runs against
// `gongkai serve --demo` at $GONGKAI_URL, whose office already holds the twelve demo cases.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, DEMO_PASSWORD, accessibilityViolations, browserTest, login, otherSession } from './helpers.mjs';

/** A valid 居民身份证号码 (GB 11643: region 150702, born 1985-03-12, check digit 1). */
const RESIDENT_ID = '150702198503122131';
/** The same number with a wrong check digit. */
const WRONG_CHECK_DIGIT = '150702198503122132';

function isoDate(date) {
  const beijing = new Date(date.getTime() + 8 * 3600 * 1000);
  return beijing.toISOString().slice(0, 10);
}

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.click(selector)]);
}

/** Every application number the console lists (open and closed tabs), as a handler sees it. */
async function caseNumbers(page) {
  const numbers = [];
  for (const tab of ['', '?tab=closed']) {
    await page.goto(`${BASE}/console/organs/1/applications${tab}`);
    numbers.push(...(await page.locator('table a[href*="/applications/"]').allInnerTexts()));
  }
  return numbers.filter((n) => n.startsWith('YSQ-'));
}

async function fillApplication(page, idNumber) {
  await page.check('input[name="kind"][value="natural_person"]');
  await page.fill('#name', '浏览器测试申请人');
  await page.check('input[name="id_type"][value="resident_id"]');
  await page.fill('#id_number', idNumber);
  await page.fill('#phone', '13904701234');
  await page.fill('#email', 'applicant@example.com');
  await page.fill('#title', '开发区2025年老旧小区改造项目的资金使用情况');
  await page.fill('#description', '包括项目预算、已拨付金额和施工合同。');
  await page.check('input[name="forms"][value="electronic"]');
  await page.check('input[name="delivery"][value="email"]');
  await page.check('#pledge');
}

/** Opens the case page of `number` from the console queue. */
async function openCase(page, number) {
  for (const tab of ['', '?tab=closed']) {
    await page.goto(`${BASE}/console/organs/1/applications${tab}`);
    const link = page.locator(`table a:text-is("${number}")`);
    if (await link.count()) {
      await Promise.all([page.waitForLoadState('load'), link.click()]);
      return;
    }
  }
  throw new Error(`${number} is not in the queue`);
}

/** Takes the step `key` on the open case page, after `fill` has filled its form. */
async function step(page, key, fill = async () => {}) {
  const form = page.locator(`form#step-${key}`);
  assert.equal(await form.count(), 1, `the step ${key} is offered`);
  await form.locator('xpath=ancestor::details').evaluate((d) => { d.open = true; });
  await fill(form);
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
  const refusal = page.locator('#refusal');
  if (await refusal.count()) throw new Error(`${key} refused: ${await refusal.innerText()}`);
}

browserTest('an application made online is handled in the console and followed on the tracking page', async (page) => {
  const staff = await otherSession();
  const head = await otherSession();
  try {
    const handler = await staff.context.newPage();
    await login(handler, 'chengban', DEMO_PASSWORD);
    const before = await caseNumbers(handler);

    // The applicant finds the column from the home page and reads the rules first.
    await page.goto(`${BASE}/`);
    await submit(page, 'a[href="/zwgk/ysqgk"]');
    assert.ok((await page.locator('main').innerText()).includes('一事一申请'));
    await submit(page, 'main a[href="/zwgk/ysqgk/shenqing"]');

    // A wrong 身份证 check digit: the form comes back with the message and the typed values.
    await fillApplication(page, WRONG_CHECK_DIGIT);
    await submit(page, 'form.apply-form button[type=submit]');
    assert.ok((await page.locator('#err-id_number').innerText()).includes('校验位'));
    assert.equal(await page.inputValue('#name'), '浏览器测试申请人');
    assert.equal(await page.inputValue('#id_number'), WRONG_CHECK_DIGIT);
    assert.equal(await page.inputValue('#title'), '开发区2025年老旧小区改造项目的资金使用情况');
    assert.ok(await page.isChecked('input[name="delivery"][value="email"]'));
    assert.deepEqual(await caseNumbers(handler), before, 'nothing was saved');

    // Corrected, it is received: 申请编号 and 查询码, shown once.
    await page.fill('#id_number', RESIDENT_ID);
    if (!(await page.isChecked('#pledge'))) await page.check('#pledge');
    await submit(page, 'form.apply-form button[type=submit]');
    const number = (await page.locator('#receipt-number').innerText()).trim();
    const code = (await page.locator('#receipt-code').innerText()).trim();
    assert.match(number, /^YSQ-\d{4}-\d{4}$/);
    assert.ok(code.length >= 8, code);
    const after = await caseNumbers(handler);
    assert.deepEqual(after.filter((n) => !before.includes(n)), [number]);

    // The 承办人 asks for a correction (art. 30), then records its receipt.
    await openCase(handler, number);
    assert.equal((await handler.locator('#applicant-id').innerText()).trim(), RESIDENT_ID);
    const deadline = isoDate(new Date(Date.now() + 15 * 86400 * 1000));
    await step(handler, 'correction_requested', async (form) => {
      await form.locator('[name="deadline"]').fill(deadline);
      await form.locator('[name="items"]').fill('请补充所需信息的项目名称或文号');
    });
    assert.ok((await handler.locator('#status').innerText()).includes('补正'));
    await step(handler, 'correction_received');

    // The 承办人 requests an extension; only the 负责人 may approve it (art. 33 ¶2).
    await step(handler, 'extension_requested', async (form) => {
      await form.locator('[name="days"]').fill('15');
      await form.locator('[name="note"]').fill('所需信息涉及多个项目档案，需要调取汇总');
    });
    assert.equal(await handler.locator('form#step-extension_approved').count(), 0);
    const boss = await head.context.newPage();
    await login(boss, 'fuzeren', DEMO_PASSWORD);
    await openCase(boss, number);
    const dueBefore = await boss.locator('#due').innerText();
    await step(boss, 'extension_approved');
    const dueAfter = await boss.locator('#due').innerText();
    assert.notEqual(dueAfter, dueBefore);

    // The reply: 部分公开, with its 答复告知书 drafted, checked and issued.
    await handler.reload();
    await step(handler, 'replied', async (form) => {
      await form.locator('[name="outcome"]').selectOption('partly_disclosed');
    });
    assert.ok((await handler.locator('#status').innerText()).includes('已办结'));
    const draft = handler.locator('form[id="draft-reply.partly_disclosed"]');
    await draft.locator('xpath=ancestor::details').evaluate((d) => { d.open = true; });
    await draft.locator('[name="text"]').fill('现将项目预算和已拨付金额通过电子邮件发送给您。');
    await draft.locator('[name="withheld"]').fill('施工合同中的报价明细：属于第三方商业秘密，公开会损害其合法权益');
    await draft.locator('[name="ground"]').selectOption('withheld_third_party');
    await Promise.all([handler.waitForLoadState('load'), draft.locator('button[type=submit]').click()]);
    const body = await handler.inputValue('#body');
    assert.ok(body.includes('第三十七条'), body);
    assert.ok(body.includes('行政复议'), body);
    await submit(handler, 'form#issue button[type=submit]');
    const issued = await handler.locator('#issued').innerText();
    assert.match(issued, /依申〔\d{4}〕\d{3}号/);

    // The applicant's tracking page shows every step and the notice, which downloads.
    await page.goto(`${BASE}/zwgk/ysqgk/chaxun`);
    await page.fill('#number', number);
    await page.fill('#code', code);
    await submit(page, 'main form button[type=submit]');
    assert.ok((await page.locator('#case-status').innerText()).includes('已办结'));
    const steps = await page.locator('#case-steps').innerText();
    for (const text of ['收到申请', '告知补正', '收到补正', '延长答复期限', '答复']) {
      assert.ok(steps.includes(text), `${text} in ${steps}`);
    }
    const notices = await page.locator('#case-notices').innerText();
    assert.ok(notices.includes('答复'), notices);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#case-notices button[value="docx"]').last().click(),
    ]);
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a DOCX file');
    for (const v of await accessibilityViolations(page)) assert.fail(`tracking page: ${v.id} ${v.help} ${v.nodes}`);

    // Another pair of number and code shows nothing of either application.
    const other = before.find((n) => n !== number) || 'YSQ-2026-0001';
    await page.goto(`${BASE}/zwgk/ysqgk/chaxun`);
    await page.fill('#number', other);
    await page.fill('#code', code);
    await submit(page, 'main form button[type=submit]');
    assert.ok((await page.locator('#track-message').innerText()).includes('未查到'));
    assert.equal(await page.locator('#case-status').count(), 0);
    const text = await page.locator('main').innerText();
    assert.ok(!text.includes('浏览器测试') && !text.includes('老旧小区'), text);
  } finally {
    await staff.close();
    await head.close();
  }
});

browserTest('the application pages have no serious accessibility violations and fit a phone', async (page) => {
  await page.setViewportSize({ width: 375, height: 740 });
  const found = [];
  for (const path of ['/zwgk/ysqgk', '/zwgk/ysqgk/shenqing', '/zwgk/ysqgk/chaxun']) {
    await page.goto(`${BASE}${path}`);
    for (const v of await accessibilityViolations(page)) found.push(`${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${path} is ${overflow}px wider than the phone`);
  }
  // The form with errors, as a visitor meets it.
  await page.goto(`${BASE}/zwgk/ysqgk/shenqing`);
  await page.check('input[name="kind"][value="natural_person"]');
  await page.fill('#name', '无障碍测试');
  await page.check('input[name="id_type"][value="resident_id"]');
  await page.fill('#id_number', WRONG_CHECK_DIGIT);
  await page.fill('#phone', '13904701234');
  await page.fill('#title', '测试');
  await page.check('input[name="forms"][value="paper"]');
  await page.check('input[name="delivery"][value="pickup"]');
  await page.check('#pledge');
  await submit(page, 'form.apply-form button[type=submit]');
  for (const v of await accessibilityViolations(page)) found.push(`form with errors: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
  assert.deepEqual(found, []);
});

browserTest('the console office pages have no serious accessibility violations', async (page) => {
  await login(page, 'chengban', DEMO_PASSWORD);
  const found = [];
  await page.goto(`${BASE}/console/organs/1/applications`);
  const first = await page.locator('table a[href*="/applications/"]').first().getAttribute('href');
  for (const path of ['/console/organs/1/applications', '/console/organs/1/applications?tab=closed',
    '/console/organs/1/applications/new', first, '/console/organs/1/appeals']) {
    await page.goto(`${BASE}${path}`);
    for (const v of await accessibilityViolations(page)) found.push(`${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
  }
  assert.deepEqual(found, []);
});
