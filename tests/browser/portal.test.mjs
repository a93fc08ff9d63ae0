// Browser tests of the gongkai portal and staff console: playwright-core drives Debian's
// chromium (headless) against a running `gongkai serve --demo` at $GONGKAI_URL.
// On failure a full-page screenshot is saved in tests/browser/screenshots/.

import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, accessibilityViolations, browserTest, login, meta } from './helpers.mjs';

browserTest('portal home carries the seed identity in meta tags and footer', async (page) => {
  const response = await page.goto(`${BASE}/`);
  assert.equal(response.status(), 200);
  assert.equal(await meta(page, 'SiteName'), '呼伦贝尔经济技术开发区');
  assert.equal(await meta(page, 'SiteDomain'), 'kfq.hlbe.gov.cn');
  assert.equal(await meta(page, 'SiteIDCode'), '1507000009');
  const footer = await page.locator('footer').innerText();
  for (const needle of ['蒙ICP备19004337号-1', '蒙公网安备 15070202000009号', '政府网站标识码：1507000009',
    '主办：呼伦贝尔经济技术开发区管理委员会', '联系方式：0470-8575688']) {
    assert.ok(footer.includes(needle), `footer lacks ${needle}: ${footer}`);
  }
});

browserTest('the 专栏 is reached by clicking and its pages carry column tags', async (page) => {
  await page.goto(`${BASE}/`);
  await page.click('nav.top-nav >> text=政府信息公开');
  assert.equal(new URL(page.url()).pathname, '/zwgk');
  await page.click('text=政府信息公开指南');
  assert.equal(new URL(page.url()).pathname, '/zwgk/zhinan');
  assert.equal(await meta(page, 'ColumnName'), '政府信息公开指南');
  const text = await page.locator('main').innerText();
  assert.ok(text.includes('呼伦贝尔国家级经济技术开发区管委会办公楼'));
  await page.goto(`${BASE}/zwgk/fdzdgknr`);
  assert.equal(await page.locator('ol.art20 li').count(), 15);
  await page.goto(`${BASE}/zwgk/nianbao`);
  assert.equal(await meta(page, 'ColumnName'), '政府信息公开年报');
});

browserTest('网站地图 links every page and the 404 page is in Chinese', async (page) => {
  await page.goto(`${BASE}/wzdt`);
  const links = await page.locator('ul.sitemap a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('/zwgk/zhidu') && links.includes('/zwgk/fdzdgknr/15'), links.join(' '));
  const response = await page.goto(`${BASE}/no-such-page`);
  assert.equal(response.status(), 404);
  assert.ok((await page.locator('main').innerText()).includes('您访问的页面不存在'));
  assert.equal(await meta(page, 'SiteIDCode'), '1507000009');
});

browserTest('the 年报 column opens the 2022 report with its tables in the official layout', async (page) => {
  await page.goto(`${BASE}/zwgk`);
  await page.click('main a[href="/zwgk/nianbao"]');
  await page.click('text=呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告');
  assert.equal(new URL(page.url()).pathname, '/zwgk/nianbao/2022');
  assert.equal(await meta(page, 'ColumnName'), '政府信息公开年报');
  assert.equal(await meta(page, 'ArticleTitle'), '呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告');
  assert.match(await meta(page, 'PubDate'), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  // 表二, 表三, 表四, with merged header cells as the national format prints them.
  assert.equal(await page.locator('.report-tables table').count(), 3);
  // The whole report as the seed prints it: parts 一 to 六, the tables under 二, 三 and 四.
  const headings = await page.locator('.report-tables h2').allInnerTexts();
  assert.deepEqual(headings.map((h) => h.trim().slice(0, 2)), ['一、', '二、', '三、', '四、', '五、', '六、'], headings.join(' | '));
  assert.ok(await page.locator('.report-tables th[rowspan], .report-tables th[colspan]').count() > 0);
  // On a phone the wide tables scroll inside their box; the page itself does not widen.
  await page.setViewportSize({ width: 375, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await page.goto(`${BASE}/wzdt`);
  const links = await page.locator('ul.sitemap a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('/zwgk/nianbao/2022'), links.join(' '));
});

browserTest('长者模式 enlarges the text without JavaScript and fits a phone', async (page) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(`${BASE}/zwgk`);
  const normal = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await page.click('#elder-toggle');
  assert.equal(new URL(page.url()).pathname, '/zwgk');
  const large = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(large > normal * 1.2, `font ${normal} -> ${large}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await page.click('#elder-toggle');
  const back = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.equal(back, normal);
});

browserTest('an administrator logs in and changes a setting that the portal then shows', async (page) => {
  await login(page, 'admin', DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/console');
  await page.click('main a[href="/console/organs/1"]');
  await page.click('main a:has-text("机关设置")');
  const hours = `工作日 8:30-12:00（浏览器测试 ${Date.now()}）`;
  await page.fill('#office_hours', hours);
  await Promise.all([page.waitForLoadState('load'), page.click('form.form button[type=submit]')]);
  assert.ok((await page.locator('#saved').innerText()).includes('已保存'));
  await page.goto(`${BASE}/zwgk/zhinan`);
  assert.ok((await page.locator('main').innerText()).includes(hours));
  await page.goto(`${BASE}/console/organs/1/audit`);
  assert.ok((await page.locator('table.audit').innerText()).includes('修改机关设置'));
});

browserTest('the 负责人 finds the published report in the console and on the portal', async (page) => {
  await login(page, 'fuzeren', DEMO_PASSWORD);
  await page.click('main a[href="/console/organs/1"]');
  await page.click('main a[href="/console/organs/1/reports"]');
  assert.equal(new URL(page.url()).pathname, '/console/organs/1/reports');
  const rows = await page.locator('table.reports tbody tr').allInnerTexts();
  assert.ok(rows.some((r) => r.includes('2022')), rows.join(' | '));
  assert.equal(await page.locator('textarea#report_json').count(), 1);
  await page.click('table.reports a[href="/console/organs/1/reports/2022"]');
  assert.ok((await page.locator('#state').innerText()).includes('已发布'));
  await page.click('main a[href="/zwgk/nianbao/2022"]');
  assert.equal(await page.locator('.report-tables table').count(), 3);
});

browserTest('repeated wrong passwords lock the account with a Chinese message', async (page) => {
  // 5 failures lock an account by default; use an account no other test logs in with.
  let message = '';
  for (let i = 0; i < 5; i += 1) {
    await login(page, 'shenhe', `wrong-password-${i}`);
    message = await page.locator('#login-error').innerText();
  }
  assert.ok(message.includes('账户已被临时锁定'), message);
  await login(page, 'shenhe', DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.ok((await page.locator('#login-error').innerText()).includes('临时锁定'));
});

browserTest('the portal pages have no serious accessibility violations (axe-core)', async (page) => {
  const pages = ['/', '/zwgk', '/zwgk/zhinan', '/zwgk/zhidu', '/zwgk/fdzdgknr', '/zwgk/fdzdgknr/1',
    '/zwgk/nianbao', '/zwgk/nianbao/2022', '/zwgk/bzml', '/wzdt', '/lxwm', '/login'];
  const found = [];
  for (const path of pages) {
    await page.goto(`${BASE}${path}`);
    for (const v of await accessibilityViolations(page)) found.push(`${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
  }
  assert.deepEqual(found, []);
});
