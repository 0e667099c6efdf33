// End-to-end test of the admin site in headless Chromium against the real gateway (the shaded jar) and a fake
// OpenAI upstream: sign in, create a user and copy its token, add a node, reorder nodes by dragging, call the
// gateway with the token through the openai SDK, find the call in the request log. Screenshots of every page go to
// admin-web/test-results/. Run with scripts/e2e.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { chromium } from 'playwright-core';
import { REPLY, startFakeOpenAI } from './fake-openai.mjs';
import { freePort, startGateway } from './gateway.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const results = path.resolve(here, '..', 'test-results');
const jar = process.env.MAESTRO_JAR ?? path.join(root, 'functions/gateway/target/maestro-gateway.jar');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

let fake;
let gw;
let context;
let page;
let userToken;
let profile;
const pageErrors = [];

async function shot(name) {
  await page.screenshot({ path: path.join(results, name + '.png'), fullPage: true });
}

async function go(route) {
  await page.goto(`${gw.base}/admin/#/${route}`);
  await page.locator('section.page h1').first().waitFor();
  // Wait until the page has left its loading state (data, an empty state, "not available" or an error).
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 15_000 });
}

async function adminApi(method, p) {
  // Through the page, so the session cookie is what authenticates.
  return page.evaluate(
    async ([m, url]) => {
      const headers = { Accept: 'application/json' };
      if (m !== 'GET') headers['X-Maestro-CSRF'] = '1';
      const r = await fetch(url, { method: m, headers });
      return { status: r.status, body: await r.text() };
    },
    [method, p],
  );
}

describe('admin site end to end', { timeout: 280_000 }, () => {
  before(async () => {
    fs.mkdirSync(results, { recursive: true });
    assert.ok(fs.existsSync(jar), `the gateway jar is missing: ${jar} (scripts/e2e builds it)`);
    assert.ok(fs.existsSync(chromiumPath), `Chromium is missing at ${chromiumPath} (apt-get install chromium)`);
    fake = await startFakeOpenAI();
    // The seeded first node points at a port nothing listens on: the reorder decides which node serves.
    const deadPort = await freePort();
    gw = await startGateway({
      jar,
      env: { OLLAMA_BASE_URL: `http://127.0.0.1:${deadPort}`, LOG_LEVEL: 'INFO' },
      logFile: path.join(results, 'gateway.log'),
    });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'maestro-e2e-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
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
      viewport: { width: 1360, height: 900 },
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.base });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });

  after(async () => {
    await context?.close();
    await gw?.stop();
    await fake?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it('the generated password is in the data directory (0600) and not in the log', () => {
    const file = path.join(gw.dataDir, 'admin-password');
    const mode = fs.statSync(file).mode & 0o777;
    assert.equal(mode, 0o600);
    const password = fs.readFileSync(file, 'utf8').trim();
    assert.ok(password.length >= 32);
    const log = fs.readFileSync(path.join(results, 'gateway.log'), 'utf8');
    assert.ok(log.includes(file), 'the log names the file');
    assert.ok(!log.includes(password), 'the log never shows the password');
  });

  it('signs in (after a wrong password is refused)', async () => {
    await page.goto(`${gw.base}/admin/`);
    const form = page.getByTestId('signin-form');
    await form.waitFor();
    await shot('signin');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong password');
    await page.click('form[data-testid=signin-form] button');
    await page.getByText('Wrong username or password.').waitFor();
    const password = fs.readFileSync(path.join(gw.dataDir, 'admin-password'), 'utf8').trim();
    await page.fill('input[name=password]', password);
    await page.click('form[data-testid=signin-form] button');
    await page.getByTestId('whoami').waitFor();
    assert.equal(await page.getByTestId('whoami').textContent(), 'admin');
    const cookies = await context.cookies(gw.base);
    const session = cookies.find((c) => c.name === 'maestro_admin_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read the session cookie');
    await go('dashboard');
    await page.locator('.stats').waitFor();
    await shot('dashboard');
  });

  it('creates a user and copies its token', async () => {
    await go('users');
    await page.fill('input[name=username]', 'e2e-alice');
    await page.click('text=Create user');
    const token = (await page.getByTestId('new-token').textContent()).trim();
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a JWT');
    await page.click('text=Copy token');
    await page.getByText('Copied').waitFor();
    userToken = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(userToken, token, 'the clipboard holds the token');
    await page.locator('tr[data-user="e2e-alice"]').waitFor();
    await shot('users');
  });

  it('adds a node pointing at the fake upstream', async () => {
    await go('nodes');
    await page.click('.page-head >> text=Add node');
    const form = page.getByTestId('add-node-form');
    await form.locator('input[name=name]').fill('fake-openai');
    await form.locator('input[name=code]').fill('fake');
    await form.locator('select[name=node_type]').selectOption('openai');
    await form.locator('input[name=base_url]').fill(`http://127.0.0.1:${fake.port}/v1`);
    await form.locator('button:has-text("Add node")').click();
    await page.locator('li[data-node="fake-openai"]').waitFor();
    const names = await page.locator('li.node-card').evaluateAll((els) => els.map((e) => e.dataset.node));
    assert.deepEqual(names, ['local-ollama', 'fake-openai'], 'equal priorities: the older node first');
  });

  it('reorders the nodes by dragging and persists the order', async () => {
    await page.dragAndDrop('li[data-node="fake-openai"]', 'li[data-node="local-ollama"]');
    await page.getByText('Priority order saved').waitFor();
    const names = await page.locator('li.node-card').evaluateAll((els) => els.map((e) => e.dataset.node));
    assert.deepEqual(names, ['fake-openai', 'local-ollama']);
    const r = await adminApi('GET', '/admin/nodes');
    assert.equal(r.status, 200);
    const nodes = JSON.parse(r.body);
    assert.deepEqual(
      nodes.map((n) => n.name),
      ['fake-openai', 'local-ollama'],
      'the server has the new order',
    );
    assert.ok(nodes[0].priority > nodes[1].priority);
    await page.reload();
    await page.locator('li.node-card').first().waitFor();
    assert.equal(await page.locator('li.node-card').first().getAttribute('data-node'), 'fake-openai');
    await shot('nodes');
  });

  it('a chat call with the copied token (openai SDK) shows up in the request log', async () => {
    const client = new OpenAI({ apiKey: userToken, baseURL: `${gw.base}/v1`, maxRetries: 0 });
    const { data: stream, request_id: requestId } = await client.chat.completions
      .create({
        model: 'e2e-model',
        messages: [{ role: 'user', content: 'Say hello' }],
        stream: true,
      })
      .withResponse();
    assert.match(requestId ?? '', /^[0-9a-f-]{36}$/, 'the answer names its activity row (x-request-id)');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, REPLY.join(''));
    assert.ok(fake.seen.some((s) => s.url === '/v1/chat/completions'), 'the fake upstream served it');

    await go('requests');
    await page.fill('form[data-testid=request-filters] input[name=user]', 'e2e-alice');
    const row = page.locator('table[data-testid=requests-table] tbody tr', { hasText: 'e2e-model' });
    // The activity event travels through the (embedded) queue into PostgreSQL: poll with the page's own button.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.click('form[data-testid=request-filters] button:has-text("Filter")');
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
      if ((await row.count()) > 0) break;
      assert.ok(Date.now() < deadline, 'the request reached the log within 60 s');
      await page.waitForTimeout(1000);
      await page.click('text=Refresh');
    }
    const cells = await row.first().locator('td').allTextContents();
    assert.equal(cells[1], 'e2e-alice');
    assert.equal(cells[3], 'fake-openai', 'served by the node dragged to the top');
    assert.ok(cells[6].includes('200'), `logged as completed: ${JSON.stringify(cells)}`);
    assert.equal(await row.first().getAttribute('data-request'), requestId, 'the row the answer named');

    // The request id a client reports finds exactly its row.
    await page.fill('form[data-testid=request-filters] input[name=user]', '');
    await page.fill('form[data-testid=request-filters] input[name=request_id]', requestId);
    await page.click('form[data-testid=request-filters] button:has-text("Filter")');
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    const only = page.locator('table[data-testid=requests-table] tbody tr');
    assert.equal(await only.count(), 1);
    assert.equal(await only.first().getAttribute('data-request'), requestId);
    await shot('requests');
  });

  it('every other page renders (data, empty, or "not available on this server")', async () => {
    for (const route of ['models', 'mappings', 'groups', 'config', 'tool-sets', 'settings', 'audit-logs', 'dashboard']) {
      await go(route);
      const errors = await page.locator('.page [role=alert]').allTextContents();
      assert.deepEqual(errors, [], `${route}: no error shown`);
      await shot(route);
    }
    assert.deepEqual(pageErrors, [], 'no script errors');
  });

  it('signing out ends the session on the server', async () => {
    const cookie = (await context.cookies(gw.base)).find((c) => c.name === 'maestro_admin_session').value;
    await page.click('text=Sign out');
    await page.getByTestId('signin-form').waitFor();
    const r = await fetch(`${gw.base}/admin/users`, {
      headers: { Cookie: `maestro_admin_session=${cookie}`, Accept: 'application/json' },
    });
    assert.equal(r.status, 401, 'the old cookie no longer works');
  });
});
