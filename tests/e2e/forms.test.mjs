// Printed forms from the real window: a request taken in, its 受理回执 previewed from the request
// page (page images rendered from the PDF), printed through a real CUPS scheduler to a printer
// that receives the bytes, and the print log showing copy 1 by the clerk and then 补打, copy 2.
// Without any printer, printing fails with the Chinese message and nothing is recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Key } from 'webdriverio';
import { withPrintingApp } from './cups.mjs';
import { outputDir, screenshot, startApp, callFromPage, drawnPage } from './harness.mjs';

const ID = '520203198503121233';
const CLERK = 'ZC0015';
/** The clerk's own account: prints are recorded against the logged-in clerk. */
const CLERK_ACCOUNT = { username: 'zc0015', name: '周金凤', roles: '窗口人员', staff: CLERK };

const call = callFromPage;

/** Takes a request in (as the intake screen would), chooses the clerk, opens the request page. */
async function openNewRequest(browser) {
  await browser.$('[data-testid="town-select"]').waitForDisplayed({ timeout: 20000 });
  const made = await call(browser, 'request_new', {
    staff: CLERK, item: 'MZ-001', name: '李玥', id: ID, phone: null, materials: null, remark: null,
  });
  assert.equal(made.ok?.state, 'accepted', JSON.stringify(made));
  const number = made.ok.number;
  // The counter's clerk, as ClerkSelect remembers it once chosen.
  await browser.execute((no) => window.localStorage.setItem('bianmin.counterCheck.staff', no), CLERK);
  await browser.execute((n) => { window.location.hash = `#/requests/${encodeURIComponent(n)}`; }, number);
  await browser.$('[data-testid="request-page"]').waitForDisplayed({ timeout: 10000 });
  return number;
}

/** What an element says (textContent: WebDriver's getText is '' while Element Plus animates). */
function text(browser, testid) {
  return browser.execute(
    (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null,
    testid,
  );
}

async function historyRows(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="history-row"]')).map((r) => ({
      copy: r.getAttribute('data-copy'),
      text: r.textContent ?? '',
    })),
  );
}

/** A screenshot once the webview has painted the large page images (it lags behind the DOM). */
async function settledShot(browser, file) {
  await browser.pause(1500);
  return screenshot(file);
}

function pdfText(bytes, file) {
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

test('打印受理回执: preview from the request page, print through CUPS, reprint is 补打', async () => {
  const out = outputDir('forms');
  await withPrintingApp(out, CLERK_ACCOUNT, async (browser, cups) => {
    const number = await openNewRequest(browser);
    const open = await browser.$('[data-testid="request-print"]');
    await open.waitForDisplayed({ timeout: 10000 });
    assert.equal(await open.getAttribute('data-kind'), 'receipt');
    // The steps the backend offers this clerk (next_steps): what 已受理 allows, less the
    // approval a 窗口人员 may not give.
    const steps = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="request-actions"] button[data-testid^="step-"]')).map(
        (b) => b.getAttribute('data-testid'),
      ),
    );
    assert.deepEqual(steps, ['step-forward', 'step-refuse', 'step-withdraw']);
    assert.equal((await open.getText()).trim(), '打印受理回执');
    await open.click();

    // The page image, decoded by the webview, of the PDF that prints.
    await browser.waitUntil(
      async () => (await drawnPage(browser))?.width > 800,
      { timeout: 20000, timeoutMsg: 'the preview shows no page image' },
    );
    // Drawn, not blank: the receipt's text is on the canvas.
    assert.ok((await drawnPage(browser)).ink > 1000, JSON.stringify(await drawnPage(browser)));
    const formNo = await text(browser, 'preview-form-no');
    assert.match(formNo, new RegExp(`HZ-${number}`));
    assert.equal(await browser.$('[data-testid="preview-copy"]').getAttribute('data-copy'), '1');
    assert.equal(await text(browser, 'preview-copy'), '第 1 份');
    assert.match(await text(browser, 'preview-printer'), /bianmin-test（默认）/);
    assert.equal(await text(browser, 'preview-no-history'), '还没有打印过');
    await settledShot(browser, join(out, 'preview.png'));

    await browser.$('[data-testid="preview-print"]').click();
    await browser.waitUntil(async () => (await historyRows(browser)).length === 1, {
      timeout: 20000,
      timeoutMsg: 'the first print is not in the print log',
    });
    let rows = await historyRows(browser);
    assert.equal(rows[0].copy, '1');
    assert.match(rows[0].text, /第 1 份/);
    assert.match(rows[0].text, new RegExp(`（${CLERK}）`));
    assert.match(rows[0].text, /打印机 bianmin-test/);
    const message = await browser.$('.el-message--success');
    await message.waitForDisplayed({ timeout: 5000 });
    assert.match(await message.getText(), /已发送打印：bianmin-test，作业号 bianmin-test-\d+，第 1 份/);
    // The printer received the form itself.
    const [first] = await cups.waitForJobs(1);
    assert.equal(first.subarray(0, 5).toString(), '%PDF-');
    const text1 = pdfText(first, join(out, 'job-1.pdf'));
    assert.match(text1, /受理回执/);
    assert.ok(text1.includes(number), 'the request number on the printed receipt');
    assert.ok(!text1.includes(ID), 'the full ID on the printed receipt');
    assert.ok(!text1.includes('补打'), 'the first copy says 补打');

    // The preview now shows the next print as a reprint.
    await browser.waitUntil(
      async () => (await browser.$('[data-testid="preview-copy"]').getAttribute('data-copy')) === '2',
      { timeout: 20000, timeoutMsg: 'the preview did not move on to copy 2' },
    );
    assert.equal(await text(browser, 'preview-copy'), '补打（第 2 份）');
    await settledShot(browser, join(out, 'printed-once.png'));

    // Ctrl+P prints the reprint.
    await browser.keys([Key.Control, 'p']);
    await browser.keys([Key.Control]);
    await browser.waitUntil(async () => (await historyRows(browser)).length === 2, {
      timeout: 20000,
      timeoutMsg: 'the reprint is not in the print log',
    });
    rows = await historyRows(browser);
    assert.deepEqual(rows.map((r) => r.copy), ['1', '2']);
    assert.match(rows[1].text, /补打 · 第 2 份/);
    assert.match(rows[1].text, new RegExp(`（${CLERK}）`));
    const jobs = await cups.waitForJobs(2);
    const text2 = pdfText(jobs[1], join(out, 'job-2.pdf'));
    assert.match(text2, /补打/);

    // The log the dialog shows is the backend's.
    const issues = await call(browser, 'form_issues', { formNo: `HZ-${number}` });
    assert.deepEqual(issues.ok?.map((i) => [i.copy, i.staff_no, i.route]), [
      [1, CLERK, 'printer:bianmin-test'],
      [2, CLERK, 'printer:bianmin-test'],
    ]);
    await settledShot(browser, join(out, 'reprinted.png'));

    // Esc closes the preview.
    await browser.keys([Key.Escape]);
    await browser.waitUntil(async () => !(await browser.$('[data-testid="form-preview"]').isDisplayed()), {
      timeout: 5000,
      timeoutMsg: 'Esc did not close the preview',
    });
  });
});

test('without a printer, printing says why in Chinese and records nothing', async () => {
  const out = outputDir('forms-no-printer');
  // A scheduler address where nothing listens: no printers, no default destination.
  const { browser, close } = await startApp(out, {
    env: { CUPS_SERVER: '127.0.0.1:1' },
    account: CLERK_ACCOUNT,
    login: CLERK_ACCOUNT.username,
  });
  try {
    const number = await openNewRequest(browser);
    await browser.$('[data-testid="request-print"]').click();
    await browser.$('[data-testid="preview-page"]').waitForDisplayed({ timeout: 20000 });
    await browser.$('[data-testid="preview-no-printers"]').waitForDisplayed({ timeout: 10000 });
    await browser.$('[data-testid="preview-print"]').click();
    const error = await browser.$('[data-testid="preview-error"]');
    await error.waitForDisplayed({ timeout: 20000 });
    assert.match(await error.getText(), /^打印失败：没有可用的打印机/);
    await settledShot(browser, join(out, 'print-failed.png'));
    const issues = await call(browser, 'form_issues', { formNo: `HZ-${number}` });
    assert.deepEqual(issues.ok, []);
    assert.equal(await browser.$('[data-testid="preview-copy"]').getAttribute('data-copy'), '1');
  } catch (e) {
    await screenshot(join(out, 'failure.png')).catch(() => {});
    throw e;
  } finally {
    await close();
  }
});

test('打印编制表: the staffing screen previews its report as an A4 landscape page', async () => {
  const out = outputDir('forms-staffing');
  const { browser, close } = await startApp(out, { env: { CUPS_SERVER: '127.0.0.1:1' } });
  try {
    const button = await browser.$('[data-testid="staffing-print"]');
    await button.waitForDisplayed({ timeout: 20000 });
    await button.click();
    await browser.waitUntil(
      async () => {
        const page = await drawnPage(browser);
        return page !== null && page.width > page.height && page.ink > 1000;
      },
      { timeout: 20000, timeoutMsg: 'no landscape page in the staffing preview' },
    );
    // The leader (东风镇's DF0004) opens on his own town.
    assert.match(await text(browser, 'preview-form-no'), /BZ-DF-20261128/);
    assert.equal(await browser.execute(() => document.querySelector('[data-testid="preview-paper"]')), null);
    await settledShot(browser, join(out, 'staffing-preview.png'));
  } catch (e) {
    await screenshot(join(out, 'failure.png')).catch(() => {});
    throw e;
  } finally {
    await close();
  }
});
