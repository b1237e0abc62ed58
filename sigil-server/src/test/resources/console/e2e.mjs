// The console in headless Chromium (driven by playwright-core): log in, sessions, a timeline with hostile content,
// a live run over the WebSocket, approvals, memory search, health; then the read-only pages with JavaScript off.
// Fails on any browser console error or uncaught page error. Prints one JSON line: {ok, checks, errors}.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, 'node_modules', 'playwright-core'));

const base = process.env.BASE_URL;
const key = process.env.API_KEY;
const out = process.env.OUT_DIR;
const session = process.env.SESSION_ID;
const agent = process.env.AGENT;
const decide = process.env.APPROVE === '1';
const checks = [];
const errors = [];

function check(name, cond, detail) {
  checks.push({ name, ok: !!cond, detail: detail || '' });
  if (!cond) throw new Error('check failed: ' + name + (detail ? ' (' + detail + ')' : ''));
}

function watch(page, label) {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(label + ': ' + m.text()); });
  page.on('pageerror', (e) => errors.push(label + ': ' + e.message));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(label + ': ' + r.status() + ' ' + r.url()); });
}

async function login(page) {
  await page.goto(base + '/console');
  check('redirected to the login form', page.url().includes('/console/login'), page.url());
  await page.getByLabel('API key or token').fill(key);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(base + '/console');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  // A fresh profile: playwright-core gives a non-persistent launch its own new --user-data-dir.
});
let ok = false;
try {
  // With JavaScript.
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  watch(page, 'js');
  await login(page);
  check('sessions list shows the own session', await page.getByRole('link', { name: session }).isVisible());
  check('sessions list hides another user\'s session', !(await page.content()).includes('bob-secret'));
  await page.screenshot({ path: path.join(out, 'sessions.png'), fullPage: true });

  await page.getByRole('link', { name: session }).click();
  await page.waitForURL('**/console/sessions/' + session);
  const timeline = await page.locator('ol.timeline').innerText();
  check('timeline shows the model call', timeline.includes('1200 in / 300 out tokens'));
  check('timeline shows the tool call', timeline.includes('web_search'));
  check('timeline shows the contract errors', timeline.includes('bant.budget'));
  check('hostile content is shown as text', timeline.includes('<script>window.__pwned=1</script>'));
  check('hostile content never ran', await page.evaluate(() => window.__pwned === undefined));
  check('no hostile element in the DOM', await page.locator('main img, main svg, main script').count() === 0);
  await page.screenshot({ path: path.join(out, 'timeline.png'), fullPage: true });

  // Keyboard: the skip link is the first stop and moves focus to the content.
  await page.keyboard.press('Tab');
  check('skip link first in tab order', (await page.evaluate(() => document.activeElement.textContent)) === 'Skip to content');

  await page.goto(base + '/console/live?agent=' + agent);
  await page.getByLabel('Message').fill('Say hello to the console');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.locator('#live-state').filter({ hasText: 'Finished' }).waitFor({ timeout: 60000 });
  const stream = await page.locator('#live-stream').innerText();
  check('live stream shows the run messages', stream.includes('run accepted') && stream.includes('complete:'), stream);
  check('live answer streamed', (await page.locator('#live-answer').innerText()).length > 0);
  await page.screenshot({ path: path.join(out, 'live.png'), fullPage: true });
  await page.locator('#live-state a').click();
  await page.waitForURL('**/console/sessions/**');
  const liveTimeline = await page.locator('ol.timeline').innerText();
  check('the live run is in its session timeline', liveTimeline.includes('Say hello to the console'));
  check('the timeline shows the route', liveTimeline.includes('route.decided') && liveTimeline.includes('Route: '));

  await page.goto(base + '/console/approvals');
  check('pending approvals listed', await page.locator('li.approval', { hasText: 'send_sms' }).count() === 1
      && (!decide || await page.locator('li.approval', { hasText: process.env.APPROVE_TOOL }).count() === 1));
  await page.screenshot({ path: path.join(out, 'approvals.png'), fullPage: true });
  if (decide) {
    const item = page.locator('li.approval', { hasText: process.env.APPROVE_TOOL || 'send_sms' }).first();
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.locator('.decide-state').filter({ hasText: 'the run ended with status' }).waitFor({ timeout: 60000 });
    const state = await item.locator('.decide-state').innerText();
    check('approval resumed the run', state.startsWith('Approved'), state);
    await page.screenshot({ path: path.join(out, 'approved.png'), fullPage: true });
  }

  await page.goto(base + '/console/memory');
  await page.getByLabel('Search').fill('tulips');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL('**/console/memory?**');
  check('memory search finds the fact', (await page.locator('ol.hits').first().innerText()).includes('Alice prefers tulips'));
  await page.screenshot({ path: path.join(out, 'memory.png'), fullPage: true });

  await page.goto(base + '/console/health');
  check('health page', (await page.locator('main').innerText()).includes('event_store'));
  await page.screenshot({ path: path.join(out, 'health.png'), fullPage: true });
  await ctx.close();

  // Without JavaScript: every read-only page works, forms included (login, filter, memory search).
  const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1366, height: 768 } });
  const p2 = await nojs.newPage();
  watch(p2, 'nojs');
  await login(p2);
  for (const [url, text] of [['/console', session], ['/console/sessions/' + session + '?type=tool.called', 'web_search'],
    ['/console/memory?q=tulips', 'Alice prefers tulips'], ['/console/agents', 'lead_qualifier'],
    ['/console/contracts', 'lead_qualification'], ['/console/health', 'event_store'], ['/console/approvals', 'send_sms']]) {
    const r = await p2.goto(base + url);
    check('no-JS ' + url, r.status() === 200 && (await p2.locator('main').innerText()).includes(text), String(r.status()));
  }
  await p2.goto(base + '/console/sessions/' + session);
  await p2.getByLabel('Show').selectOption('llm.called');
  await p2.getByRole('button', { name: 'Filter' }).click();
  check('no-JS filter form', (await p2.locator('ol.timeline').innerText()).includes('claude-test'));
  await p2.screenshot({ path: path.join(out, 'timeline-nojs.png'), fullPage: true });
  await p2.getByRole('button', { name: 'Log out' }).click();
  await p2.waitForURL('**/console/login');
  check('no-JS logout', (await p2.goto(base + '/console')).url().includes('/console/login'));
  await nojs.close();
  check('no browser console errors', errors.length === 0, errors.join(' | '));
  ok = true;
} catch (e) {
  checks.push({ name: 'exception', ok: false, detail: String(e && e.message || e) });
  for (const c of browser.contexts()) {
    for (const pg of c.pages()) {
      const text = await pg.locator('body').innerText().catch(() => '');
      checks.push({ name: 'page at failure', ok: false, detail: pg.url() + ' :: ' + text.slice(0, 1500) });
      await pg.screenshot({ path: path.join(out, 'failure.png'), fullPage: true }).catch(() => {});
    }
  }
} finally {
  await browser.close();
  console.log(JSON.stringify({ ok, checks, errors }));
  process.exit(ok ? 0 : 1);
}
