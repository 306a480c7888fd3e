// Personal data: after a clerk's day in the real window — intake, lists, search by full ID, the
// request page, forms — no full ID number is in anything a screen received from the backend, in
// any PDF form, or in the app's log, except the one audited read that shows it on request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputDir, paths, startApp, callFromPage } from './harness.mjs';

const ID = '520203198503121233';
const CLERK = { username: 'zc0015', name: '周金凤', roles: '窗口人员', staff: 'ZC0015' };

/**
 * Records every answer the backend gives the page from now on. Tauri makes its invoke function
 * read-only; its IPC runs over fetch to the ipc: scheme, so the answers are read there.
 */
async function recordAnswers(browser) {
  await browser.execute(() => {
    const original = window.fetch.bind(window);
    window.__answers = [];
    window.fetch = async (input, init) => {
      const response = await original(input, init);
      const url = typeof input === 'string' ? input : input.url;
      if (url.startsWith('ipc:') || url.includes('ipc.localhost')) {
        const cmd = decodeURIComponent(url.split('/').pop() ?? '');
        response
          .clone()
          .text()
          .then((text) => window.__answers.push({ cmd, text }));
      }
      return response;
    };
  });
}

const call = callFromPage;

async function visit(browser, hash, testid) {
  await browser.execute((h) => { window.location.hash = h; }, hash);
  await browser.$(`[data-testid="${testid}"]`).waitForDisplayed({ timeout: 15000 });
  await browser.pause(500);
  return browser.execute(() => document.body.innerText);
}

test('no full ID number reaches a screen, a PDF or the log, but the one audited read', async () => {
  const out = outputDir('pii');
  const dataHome = join(out, 'xdg-data');
  const db = join(dataHome, 'cn.bianmin.desktop', 'bianmin.db');
  const { browser, close } = await startApp(out, { account: CLERK, login: CLERK.username });
  const numbers = [];
  try {
    await browser.$('[data-testid="intake-staff"]').waitForDisplayed({ timeout: 20000 });
    await recordAnswers(browser);
    const base = { staff: 'ZC0015', name: '王喆赟', id: ID, phone: '13812345678', materials: null, remark: null };
    for (const item of ['MZ-001', 'GA-201']) {
      const r = await call(browser, 'request_new', { ...base, item });
      assert.ok(r.ok?.number, JSON.stringify(r));
      numbers.push(r.ok.number);
    }
    const found = await call(browser, 'request_search', { town: '朱昌镇', query: ID });
    assert.equal(found.ok?.length, 2, 'search by full ID finds both');
    const screens = [
      await visit(browser, '#/requests', 'requests-tabs'),
      await visit(browser, `#/requests/${encodeURIComponent(numbers[0])}`, 'request-page'),
    ];
    for (const text of screens) assert.ok(!text.includes(ID), 'a full ID on a screen');
    const received = await browser.execute(() => window.__answers);
    assert.ok(received.length >= 6, `only ${received.length} answers recorded`);
    const leaks = received.filter((a) => a.text.includes(ID)).map((a) => a.cmd);
    assert.deepEqual(leaks, [], 'commands that sent a full ID number to the screen');

    // The one way to see it: on request, for a clerk, recorded in the audit log.
    await browser.$('[data-testid="request-full-id"]').click();
    await browser.waitUntil(async () => (await browser.$('[data-testid="request-id"]').getText()).includes(ID), {
      timeout: 10000,
      timeoutMsg: 'the full ID was not shown on request',
    });
    // The recorder does see a full ID when one is sent: this read is the only one.
    const after = await browser.execute(() => window.__answers);
    assert.deepEqual(after.filter((a) => a.text.includes(ID)).map((a) => a.cmd), ['request_full_id']);
  } finally {
    await close();
  }
  const reads = execFileSync('sqlite3', [db, "SELECT request_number FROM audit_log WHERE action = 'read_full_id'"])
    .toString().trim();
  assert.equal(reads, numbers[0], 'the full-ID read is not audited with its request');
  const audit = execFileSync('sqlite3', [db, 'SELECT * FROM audit_log']).toString();
  assert.ok(!audit.includes(ID), 'a full ID number in the audit log');

  // Every form of these requests, as PDF text.
  const env = { ...process.env, XDG_DATA_HOME: dataHome, BIANMIN_TODAY: '2026-11-28' };
  const forms = [
    [numbers[0], 'receipt'],
    [numbers[1], 'refusal'],
  ];
  for (const [number, kind] of forms) {
    const pdf = join(out, `${kind}.pdf`);
    execFileSync(paths.cli, ['form', number, '--kind', kind, '--out', pdf], { env });
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    assert.ok(text.includes(number), `${kind} does not carry its number`);
    assert.ok(!text.includes(ID), `a full ID number in the ${kind}`);
  }

  // The app's log (its stderr and the driver's).
  const log = readFileSync(join(out, 'app.log'), 'utf8');
  assert.ok(!log.includes(ID), 'a full ID number in the log');
});
