// Proactive disclosure in a real browser (issue 12): an editor drafts an item with an
// attachment, a reviewer takes 科室审核 and 保密审查, the 负责人 signs it (先审后发); the editor's
// own approval is refused; the item appears in its column, on its page with its 索引号, in the
// Atom feed, in sitemap.xml and in search; withdrawn, it is gone from all of them. And
// axe-core on every kind of public page, in 长者模式 too.

import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, accessibilityViolations, browserTest, login, otherSession } from './helpers.mjs';

const STAMP = Date.now() % 100000;
const TITLE = `关于印发开发区智慧停车管理办法的通知（浏览器测试${STAMP}）`;
const DOC_NUMBER = `呼经开管发〔2026〕${STAMP}号`;
// A word no demo item has, so that a hit is this item's.
const BODY_WORD = '泊位周转';

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.click(selector)]);
}

async function text(page, url) {
  const response = await page.request.get(url);
  return { status: response.status(), body: await response.text() };
}

/** Approves the item at `path` as whoever is logged in on `page`. */
async function approve(page, path, comment) {
  await page.goto(`${BASE}${path}`);
  assert.equal(await page.locator('form#review-form').count(), 1, `a review form at ${path}`);
  await page.fill('#review-comment', comment);
  await submit(page, 'form#review-form button[type=submit]');
  const problem = page.locator('#problem');
  if (await problem.count()) throw new Error(await problem.innerText());
}

/** Whether searching `q` lists the item whose public page is `path` (its title may be cut by
 * the highlighting, its address is not). */
async function foundBySearch(page, q, path) {
  const response = await page.request.get(`${BASE}/zwgk/search?q=${encodeURIComponent(q)}`);
  assert.equal(response.status(), 200, `search for ${q}`);
  const html = await response.text();
  // minijinja writes / in attributes as &#x2f;.
  return html.includes(`href="${path}"`) || html.includes(`href="${path.replaceAll('/', '&#x2f;')}"`);
}

browserTest('an item is reviewed before it is published, and withdrawn it is gone everywhere', async (page) => {
  const reviewer = await otherSession();
  const head = await otherSession();
  try {
    // The editor drafts the item with a PDF attachment.
    await login(page, 'bianji', DEMO_PASSWORD);
    await page.goto(`${BASE}/console/organs/1/items/new`);
    await page.fill('#title', TITLE);
    await page.fill('#doc_number', DOC_NUMBER);
    await page.fill('#formed', new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10));
    await page.selectOption('#kind', 'normative_document');
    await page.selectOption('#article20', '1');
    await page.fill('#body', `为规范开发区公共停车秩序，提高${BODY_WORD}效率，制定本办法。\n本办法自发布之日起施行。`);
    await page.setInputFiles('#files', { name: '智慧停车管理办法.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% browser test\n') });
    await submit(page, 'form#item-form button[type=submit]');
    const itemPath = new URL(page.url()).pathname;
    assert.match(itemPath, /^\/console\/organs\/1\/items\/\d+$/);
    await page.fill('#submit-comment', '请审核');
    await submit(page, 'form#submit-form button[type=submit]');
    assert.ok((await page.locator('#stage').innerText()).length > 0);

    // The editor may not approve their own item: no form, and a forged request is refused.
    assert.equal(await page.locator('form#review-form').count(), 0);
    const csrf = await page.locator('form#withdraw-form input[name=csrf], form#submit-form input[name=csrf], input[name=csrf]').first().inputValue().catch(() => '');
    const forged = await page.evaluate(async ([url, token]) => {
      const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(token)}&decision=approve&comment=self` });
      return r.status;
    }, [`${itemPath}/review`, csrf]);
    assert.ok(forged === 403 || forged === 409, `own approval answered ${forged}`);

    // 科室审核 and 保密审查 by the reviewer, 领导签发 by the 负责人: published.
    const r = await reviewer.context.newPage();
    await login(r, 'shenhe', DEMO_PASSWORD);
    await approve(r, itemPath, '科室审核通过');
    await approve(r, itemPath, '经保密审查，可以公开');
    const h = await head.context.newPage();
    await login(h, 'fuzeren', DEMO_PASSWORD);
    await approve(h, itemPath, '同意发布');
    await h.goto(`${BASE}${itemPath}`);
    const publicLink = h.locator('a:has-text("查看网站页面")');
    assert.equal(await publicLink.count(), 1, 'published');
    const publicPath = await publicLink.getAttribute('href');

    // On the portal: its page with its 索引号 and meta tags, its column, the feed, the sitemap.
    await page.goto(`${BASE}${publicPath}`);
    const indexNumber = (await page.locator('#index-number').innerText()).trim();
    assert.match(indexNumber, /\/\d{4}-\d{5}$/);
    assert.equal(await page.locator('meta[name="ArticleTitle"]').getAttribute('content'), TITLE);
    assert.ok((await page.locator('.item-body').innerText()).includes(BODY_WORD));
    const attachment = await page.locator('a[href*="/files/"]').first().getAttribute('href');
    const file = await page.request.get(`${BASE}${attachment}`);
    assert.equal(file.status(), 200);
    assert.equal(file.headers()['content-type'], 'application/pdf');
    for (const v of await accessibilityViolations(page)) assert.fail(`item page: ${v.id} ${v.help} ${v.nodes}`);
    await page.goto(`${BASE}/zwgk/fdzdgknr/1`);
    assert.ok((await page.locator('main').innerText()).includes(TITLE));
    assert.ok((await text(page, `${BASE}/zwgk/fdzdgknr/1/atom.xml`)).body.includes(TITLE));
    assert.ok((await text(page, `${BASE}/sitemap.xml`)).body.includes(publicPath));
    assert.ok(await foundBySearch(page, BODY_WORD, publicPath), 'found by a word of its body');
    assert.ok(await foundBySearch(page, DOC_NUMBER.replace('〔', '[').replace('〕', ']'), publicPath), 'found by its 文号 in square brackets');

    // Withdrawn by the editor: gone from the page, the column, the feed, the sitemap and search.
    await page.goto(`${BASE}${itemPath}`);
    await page.fill('#withdraw-comment', '内容需要修改，暂时撤回');
    await submit(page, 'form#withdraw-form button[type=submit]');
    assert.equal((await text(page, `${BASE}${publicPath}`)).status, 404);
    await page.goto(`${BASE}/zwgk/fdzdgknr/1`);
    assert.ok(!(await page.locator('main').innerText()).includes(TITLE));
    assert.ok(!(await text(page, `${BASE}/zwgk/fdzdgknr/1/atom.xml`)).body.includes(TITLE));
    assert.ok(!(await text(page, `${BASE}/sitemap.xml`)).body.includes(publicPath));
    assert.equal(await foundBySearch(page, BODY_WORD, publicPath), false, 'withdrawn: not found by search');
    assert.equal(await foundBySearch(page, DOC_NUMBER, publicPath), false, 'withdrawn: not found by its 文号');
  } finally {
    await reviewer.close();
    await head.close();
  }
});

browserTest('the public pages of issue 12 have no serious accessibility violations, in 长者模式 too', async (page) => {
  const paths = ['/', '/zwgk/xxgk', '/zwgk/fdzdgknr/1', '/zwgk/gfxwj', '/hdjl', '/hdjl/liuyan', '/hdjl/liuyan/xie', '/hdjl/zhengji'];
  await page.goto(`${BASE}/zwgk/xxgk`);
  const item = await page.locator('main a[href^="/zwgk/xxgk/"]').first().getAttribute('href');
  if (item) paths.push(item);
  await page.goto(`${BASE}/hdjl/zhengji`);
  const consultation = await page.locator('main a[href^="/hdjl/zhengji/"]').first().getAttribute('href');
  if (consultation) paths.push(consultation);
  paths.push(`/zwgk/search?q=${encodeURIComponent('停车')}`, '/zwgk/search', '/zwgk/bzml');
  const found = [];
  for (const elder of [false, true]) {
    if (elder) {
      await page.goto(`${BASE}/`);
      await page.click('#elder-toggle');
    }
    for (const path of paths) {
      await page.goto(`${BASE}${path}`);
      for (const v of await accessibilityViolations(page)) found.push(`${elder ? '长者模式 ' : ''}${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
    }
  }
  assert.deepEqual(found, []);
});
