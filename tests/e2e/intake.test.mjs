// The clerk's whole intake from the keyboard, in the real window: choose yourself, find the
// item by pinyin initials, type the applicant, submit with Ctrl+Enter; the request then shows
// in today's list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Key } from 'webdriverio';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { withPrintingApp } from './cups.mjs';
import { callFromPage, outputDir, screenshot, startApp } from './harness.mjs';

/** 朱昌镇's counter clerk ZC0015 logs in with an account of their own. */
const CLERK = { username: 'zc0015', name: '周金凤', roles: '窗口人员', staff: 'ZC0015' };

const ID = '520203198503121233';

// WebKitWebDriver drops the second of two equal keys sent in one command ("00" arrives as "0"),
// so text is typed one key per command, as a person types.
async function type(browser, text) {
  for (const ch of text) await browser.keys(ch);
}


/** Waits until the cursor is in the item field (where an intake starts). */
async function itemFieldFocused(browser, timeout, timeoutMsg = 'the item select does not have focus') {
  await browser.waitUntil(
    async () => browser.execute(() => document.activeElement?.closest('[data-testid="intake-item"]') !== null),
    { timeout, timeoutMsg },
  );
}

/** Types lsjz into the focused item field and takes 临时救助; picking the item loads its
 * materials and puts the cursor in the name field. */
async function pickLinShiJiuZhu(browser) {
  await browser.pause(500);
  await type(browser, 'lsjz');
  await browser.waitUntil(
    async () => (await browser.$$('.el-select-dropdown__item')).length > 0 &&
      (await browser.$("//li[contains(@class,'el-select-dropdown__item')][contains(.,'临时救助')]").isDisplayed()),
    { timeout: 10000, timeoutMsg: 'lsjz did not offer 临时救助' },
  );
  await browser.keys([Key.Enter]);
  await browser.$('[data-testid="intake-materials"]').waitForDisplayed({ timeout: 10000 });
  await browser.pause(200);
}

test('窗口受理: a request taken in from the keyboard appears in the list', async () => {
  const out = outputDir('intake');
  const { browser, close } = await startApp(out, { account: CLERK, login: CLERK.username });
  try {
    // A clerk's window opens on 窗口受理.
    await browser.$('[data-testid="intake-staff"]').waitForDisplayed({ timeout: 20000 });

    // The logged-in clerk is the counter's clerk, fixed; the cursor starts in the item field.
    await itemFieldFocused(browser, 10000);
    await browser.waitUntil(
      async () => (await browser.$('[data-testid="intake-staff"]').getText()).includes('ZC0015'),
      { timeout: 10000, timeoutMsg: 'the clerk is not the logged-in ZC0015' },
    );
    await pickLinShiJiuZhu(browser);
    await type(browser, '欧阳玥明');
    await browser.keys([Key.Tab]);
    await type(browser, ID);
    await browser.keys([Key.Tab]);
    await type(browser, '13812345678');
    const typed = await browser.$('[data-testid="intake-id"] input, input[data-testid="intake-id"]').getValue();
    assert.equal(typed, ID, 'the ID field did not receive every key');
    await browser.keys([Key.Control, Key.Enter]);
    await browser.keys([Key.Control]);

    const result = await browser.$('[data-testid="intake-result"]');
    await result.waitForDisplayed({ timeout: 10000 });
    assert.equal(await result.getAttribute('data-state'), 'accepted', await result.getText());
    const number = (await browser.$('[data-testid="result-number"]').getText()).trim();
    assert.match(number, /^ZC-20261128-\d{4}$/);
    assert.ok(!(await result.getText()).includes(ID), 'the full ID on screen');
    await screenshot(join(out, 'intake-accepted.png'));

    const list = await browser.$("//li[contains(@class,'el-menu-item')][contains(.,'办件')]");
    await list.click();
    await browser.waitUntil(
      async () => {
        const cells = await browser.$$('[data-testid="request-number"]');
        for (const c of cells) if ((await c.getText()).trim() === number) return true;
        return false;
      },
      { timeout: 10000, timeoutMsg: `${number} is not in today's list` },
    );
    // textContent: WebDriver's getText leaves out cells of a horizontally scrolled table.
    const table = await browser.execute(
      () => document.querySelector('[data-testid="requests-table"]')?.textContent ?? '',
    );
    assert.match(table, /5202\*+1233/, `the masked ID in the list: ${JSON.stringify(table)}`);
    assert.ok(!table.includes(ID), 'the full ID in the list');
    await screenshot(join(out, 'requests-today.png'));

    // Part of the name finds the request: 阳玥, the middle of 欧阳玥明, then Enter.
    const box = await browser.$('input[data-testid="requests-search"]');
    await box.click();
    await type(browser, '阳玥');
    await browser.keys([Key.Enter]);
    await browser.$('[data-testid="requests-search-note"]').waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(
      async () => {
        const cells = await browser.$$('[data-testid="request-number"]');
        const numbers = [];
        for (const c of cells) numbers.push((await c.getText()).trim());
        return numbers.length === 1 && numbers[0] === number;
      },
      { timeout: 10000, timeoutMsg: `阳玥 did not find ${number} alone` },
    );
    await screenshot(join(out, 'requests-search-part-of-name.png'));
  } catch (e) {
    await screenshot(join(out, 'failure.png')).catch(() => {});
    throw e;
  } finally {
    await close();
  }
});

/** The item the select shows as taken (its label), once the item's materials are loaded. */
async function takenItem(browser) {
  await browser.$('[data-testid="intake-materials"]').waitForDisplayed({ timeout: 10000 });
  return browser.execute(() => {
    const sel = document.querySelector('[data-testid="intake-item"]');
    const input = sel?.querySelector('input');
    return `${sel?.textContent ?? ''} ${input?.value ?? ''}`;
  });
}

test('typed at full speed, Enter takes the item for exactly what was typed, and Alt+N starts clean', async () => {
  const out = outputDir('intake-fast');
  const { browser, close } = await startApp(out, { account: CLERK, login: CLERK.username });
  try {
    await itemFieldFocused(browser, 20000);
    // Let the list answer the empty field first (its first row is 残疾人证申领), then type gljt
    // and Enter in one command: no time for the list to catch up.
    await browser.pause(800);
    await browser.keys(['g', 'l', 'j', 't', Key.Enter]);
    let taken = await takenItem(browser);
    assert.match(taken, /高龄津贴申领/, `gljt+Enter took: ${taken}`);
    assert.ok(!taken.includes('残疾人证'), taken);
    await screenshot(join(out, 'gljt-enter.png'));

    // Alt+N with the list open and old text in the field: a clean intake, the next letters
    // make a new query, not gljtlsjz.
    await browser.keys(['Tab']);
    await browser.keys([Key.Shift, Key.Tab]);
    await browser.keys([Key.Shift]);
    await browser.keys([Key.Alt, 'n']);
    await browser.keys([Key.Alt]);
    await itemFieldFocused(browser, 10000, 'Alt+N did not put the cursor in the item field');
    const empty = await browser.execute(
      () => document.querySelector('[data-testid="intake-item"] input')?.value ?? '?',
    );
    assert.equal(empty, '', 'Alt+N left text in the item field');
    assert.equal(await browser.$('[data-testid="intake-materials"]').isExisting(), false);
    await browser.keys(['l', 's', 'j', 'z', Key.Enter]);
    taken = await takenItem(browser);
    assert.match(taken, /临时救助/, `lsjz+Enter after Alt+N took: ${taken}`);
    await screenshot(join(out, 'alt-n-lsjz-enter.png'));
  } catch (e) {
    await screenshot(join(out, 'failure.png')).catch(() => {});
    throw e;
  } finally {
    await close();
  }
});

test('the ID number is checked as the clerk leaves the field: its error clears on change, its facts show', async () => {
  const out = outputDir('intake-id-check');
  const { browser, close } = await startApp(out, { account: CLERK, login: CLERK.username });
  try {
    await itemFieldFocused(browser, 20000);
    await pickLinShiJiuZhu(browser);
    await type(browser, '李玥');
    await browser.keys([Key.Tab]);
    await type(browser, `${ID.slice(0, 17)}0`);
    // Leaving the field, before any submit.
    await browser.keys([Key.Tab]);
    const idError = () => browser.execute(
      () => document.querySelector('[data-testid="intake-id"]')?.closest('.el-form-item')
        ?.querySelector('.el-form-item__error')?.textContent ?? '',
    );
    await browser.waitUntil(async () => /校验位错误/.test(await idError()), {
      timeout: 10000,
      timeoutMsg: 'leaving the field with a wrong check digit marks nothing',
    });
    assert.equal(await browser.$('[data-testid="intake-error"]').isExisting(), false, 'the error shows twice');
    await screenshot(join(out, 'id-wrong-check-digit.png'));

    // Back in the field, the wrong last digit corrected: the error goes at once.
    await browser.keys([Key.Shift, Key.Tab]);
    await browser.keys([Key.Shift]);
    await browser.keys([Key.End, Key.Backspace]);
    await type(browser, ID.slice(17));
    await browser.waitUntil(async () => (await idError()) === '', {
      timeout: 5000,
      timeoutMsg: 'the error stayed after the field changed',
    });
    await browser.keys([Key.Tab]);
    const facts = await browser.$('[data-testid="intake-id-facts"]');
    await facts.waitForDisplayed({ timeout: 10000 });
    // 520203 19850312 123 3: born 1985-03-12, 41 on 2026-11-28, 3 is odd: a man.
    assert.equal((await facts.getText()).trim(), '出生 1985-03-12 · 41 周岁 · 男');
    await screenshot(join(out, 'id-facts.png'));
  } catch (e) {
    await screenshot(join(out, 'failure.png')).catch(() => {});
    throw e;
  } finally {
    await close();
  }
});

test('受理并打印: Ctrl+P takes the request in and prints its receipt without the preview', async () => {
  const out = outputDir('intake-print');
  await withPrintingApp(out, CLERK, async (browser, cups) => {
    await itemFieldFocused(browser, 20000);
    await pickLinShiJiuZhu(browser);
    await type(browser, '欧阳玥明');
    await browser.keys([Key.Tab]);
    await type(browser, ID);
    await browser.keys([Key.Control, 'p']);
    await browser.keys([Key.Control]);
    const result = await browser.$('[data-testid="intake-result"]');
    await result.waitForDisplayed({ timeout: 10000 });
    const number = (await browser.$('[data-testid="result-number"]').getText()).trim();
    const message = await browser.$('.el-message--success');
    await message.waitForDisplayed({ timeout: 20000 });
    // No printer chosen on this PC yet: the system's default, CUPS's bianmin-test.
    assert.match(await message.getText(), /已发送打印：系统默认打印机，作业号 bianmin-test-\d+，第 1 份/);
    // No preview was opened: the receipt went straight to the printer.
    assert.equal(await browser.$('[data-testid="form-preview"]').isDisplayed().catch(() => false), false);
    const [job] = await cups.waitForJobs(1);
    const file = join(out, 'job.pdf');
    writeFileSync(file, job);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.match(text, /受理回执/);
    assert.ok(text.includes(number), `the printed receipt lacks ${number}`);
    await screenshot(join(out, 'taken-in-and-printed.png'));
  });
});

test('办件 lists say when they hold more than they show, fit a 1280 px window, and cut long names', async () => {
  const out = outputDir('requests-list');
  // 900 past requests over three years: 朱昌镇's 全部 holds far more than 200.
  const { browser, close } = await startApp(out, { account: CLERK, login: CLERK.username, history: 900 });
  try {
    await browser.$('[data-testid="intake-item"]').waitForDisplayed({ timeout: 20000 });
    const long = '阿卜杜热合曼·阿卜杜拉·买买提依明·艾尔肯·吐尔洪';
    const made = await callFromPage(browser, 'request_new', {
      staff: 'ZC0015', item: 'MZ-001', name: long, id: ID, phone: null, materials: null, remark: null,
    });
    assert.equal(made.ok?.state, 'accepted', JSON.stringify(made));
    await browser.$("//li[contains(@class,'el-menu-item')][contains(.,'办件')]").click();
    await browser.$('[data-testid="requests-table"]').waitForDisplayed({ timeout: 10000 });
    // Today's list holds one request: no note.
    await browser.waitUntil(
      async () => (await browser.$$('[data-testid="request-number"]')).length === 1,
      { timeout: 10000, timeoutMsg: "today's list does not show the one request" },
    );
    assert.equal(await browser.$('[data-testid="requests-more"]').isExisting(), false);
    // The long name is cut, whole on hover (its title).
    const cell = await browser.execute(() => {
      const el = document.querySelector('[data-testid="request-applicant"]');
      return el ? { title: el.getAttribute('title'), cut: el.scrollWidth > el.clientWidth } : null;
    });
    assert.deepEqual(cell, { title: long, cut: true });
    // No sideways scrolling at 1280 px.
    const sideways = () => browser.execute(() => {
      const wrap = document.querySelector('[data-testid="requests-table"] .el-table__body-wrapper .el-scrollbar__wrap')
        ?? document.querySelector('[data-testid="requests-table"] .el-table__body-wrapper');
      return wrap ? wrap.scrollWidth - wrap.clientWidth : -1;
    });
    assert.equal(await browser.execute(() => window.innerWidth), 1280);
    assert.ok((await sideways()) <= 0, `the table scrolls sideways by ${await sideways()} px`);
    await screenshot(join(out, 'today.png'));

    // 全部: the newest 200, and a note that says the rest are not listed.
    await browser.$("//div[contains(@class,'el-tabs__item')][contains(.,'全部')]").click();
    await browser.$('[data-testid="requests-more"]').waitForDisplayed({ timeout: 10000 });
    assert.match(await browser.$('[data-testid="requests-more"]').getText(), /只列出最新的 200 件/);
    // Fifty to a page: the table holds a page, never the 200 at once.
    const numbers = () => browser.execute(() =>
      [...document.querySelectorAll('[data-testid="request-number"]')].map((e) => e.textContent.trim()));
    await browser.waitUntil(async () => (await numbers()).length === 50, {
      timeout: 10000, timeoutMsg: '全部 does not show a page of 50 rows',
    });
    const pages = browser.$('[data-testid="requests-pages"]');
    assert.match(await pages.getText(), /共 200 件，每页 50 件/);
    assert.ok((await sideways()) <= 0, `the table scrolls sideways by ${await sideways()} px`);
    const first = await numbers();
    await pages.$("//li[contains(@class,'number')][normalize-space(.)='4']").click();
    await browser.waitUntil(async () => (await numbers())[0] !== first[0], {
      timeout: 10000, timeoutMsg: 'page 4 does not show other rows',
    });
    const fourth = await numbers();
    // The new page is shown from its first row, not scrolled to the pager.
    const top = await browser.execute(() => document.querySelector('[data-testid="requests-table"]').getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 200, `page 4's table starts at ${top} px`);
    assert.equal(fourth.length, 50);
    assert.equal(new Set([...first, ...fourth]).size, 100, 'page 4 repeats rows of page 1');
    await screenshot(join(out, 'all.png'));
  } catch (e) {
    await screenshot(join(out, 'failure.png')).catch(() => {});
    throw e;
  } finally {
    await close();
  }
});

test('the backend refuses what the counter may not do, even when the screen is bypassed', async () => {
  const out = outputDir('intake-bypass');
  // An account that may both take in and approve: the authority check on the person still
  // refuses ZC0015's approval, who is no 审批人员.
  const both = { ...CLERK, roles: '窗口人员,审批人员' };
  const { browser, close } = await startApp(out, { account: both, login: both.username });
  try {
    await browser.$('[data-testid="town-select"]').waitForDisplayed({ timeout: 20000 });
    const call = (cmd, args) =>
      browser.executeAsync(
        (cmd, args, done) => {
          window.__TAURI_INTERNALS__
            .invoke(cmd, args)
            .then((r) => done({ ok: r }))
            .catch((e) => done({ err: e }));
        },
        cmd,
        args,
      );
    const base = { staff: 'ZC0015', name: '王喆赟', id: ID, phone: null, materials: null, remark: null };
    // A city-only item is taken in only as a refusal, with where to go.
    const city = await call('request_new', { ...base, item: 'GA-201' });
    assert.equal(city.ok?.state, 'refused', JSON.stringify(city));
    assert.match(city.ok.alternative, /派出所/);
    // A clerk's approval is refused by the authority check, and the request stays accepted.
    const ok = await call('request_new', { ...base, item: 'MZ-001' });
    assert.equal(ok.ok?.state, 'accepted', JSON.stringify(ok));
    const approve = await call('request_step', {
      number: ok.ok.number, staff: 'ZC0015', step: 'decide',
      materials: null, reason: null, department: null, due: null, result: 'approved',
    });
    assert.equal(approve.err?.code, 'invalid_input', JSON.stringify(approve));
    assert.match(approve.err.message, /不是审批人员/);
    const after = await call('request_show', { number: ok.ok.number });
    assert.equal(after.ok?.state, 'accepted');
    // A wrong check digit is refused naming the field, and no request is written.
    const bad = await call('request_new', { ...base, item: 'MZ-001', id: `${ID.slice(0, 17)}0` });
    assert.equal(bad.err?.code, 'invalid_input', JSON.stringify(bad));
    assert.match(bad.err.message, /身份证号校验位错误/);
    assert.equal(bad.err.field, 'id', JSON.stringify(bad));
    const today = await call('request_list', { town: '朱昌镇', list: 'today' });
    assert.equal(today.ok?.rows?.length, 2, JSON.stringify(today));
  } finally {
    await close();
  }
});

test('a wrong ID check digit typed into the window marks the ID field, from the error\'s field', async () => {
  const out = outputDir('intake-bad-id');
  const { browser, close } = await startApp(out, { account: CLERK, login: CLERK.username });
  try {
    await browser.$('[data-testid="intake-staff"]').waitForDisplayed({ timeout: 20000 });
    await itemFieldFocused(browser, 10000);
    await pickLinShiJiuZhu(browser);
    await type(browser, '李玥');
    await browser.keys([Key.Tab]);
    // The right check digit is 3.
    const wrong = `${ID.slice(0, 17)}0`;
    await type(browser, wrong);
    const typed = await browser.$('[data-testid="intake-id"] input, input[data-testid="intake-id"]').getValue();
    assert.equal(typed, wrong, 'the ID field did not receive every key');
    await browser.keys([Key.Control, Key.Enter]);
    await browser.keys([Key.Control]);

    // Which form items show an error, by the data-testid of the field inside them.
    const marked = async () =>
      browser.execute(() =>
        [...document.querySelectorAll('.el-form-item.is-error')].map(
          (item) => item.querySelector('[data-testid^="intake-"]')?.getAttribute('data-testid') ?? '?',
        ),
      );
    await browser.waitUntil(async () => (await marked()).length > 0, {
      timeout: 10000,
      timeoutMsg: 'no form field is marked',
    });
    assert.deepEqual(await marked(), ['intake-id']);
    // The message under the field fades in after the field is marked: wait for its text.
    const idError = () => browser.execute(
      () => document.querySelector('[data-testid="intake-id"]')?.closest('.el-form-item')
        ?.querySelector('.el-form-item__error')?.textContent ?? '',
    );
    await browser.waitUntil(async () => /身份证号校验位错误/.test(await idError()), {
      timeout: 5000,
      timeoutMsg: 'the ID field shows no check-digit message',
    });
    assert.match(await idError(), /身份证号校验位错误/);
    const focused = await browser.execute(
      () => document.activeElement?.closest('[data-testid="intake-id"]') !== null
        || document.activeElement?.getAttribute('data-testid') === 'intake-id',
    );
    assert.ok(focused, 'the cursor is not in the ID field');
    assert.equal(await browser.$('[data-testid="intake-result"]').isExisting(), false, 'a request was written');
    await screenshot(join(out, 'intake-bad-id.png'));
  } catch (e) {
    await screenshot(join(out, 'failure.png')).catch(() => {});
    throw e;
  } finally {
    await close();
  }
});
