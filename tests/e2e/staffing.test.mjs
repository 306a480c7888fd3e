// The leader's first screen: 人员编制 for 东风镇 shows the seed's 99 / 68 / 39.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { outputDir, screenshot, startApp } from './harness.mjs';

const text = async (browser, testid) => (await browser.$(`[data-testid="${testid}"]`).getText()).trim();

test('人员编制: choosing 东风镇 shows quota 99, on duty 68, vacancies 39', async () => {
  const out = outputDir('staffing');
  const { browser, close } = await startApp(out);
  try {
    const select = await browser.$('[data-testid="town-select"]');
    await select.waitForDisplayed({ timeout: 20000 });
    // The first town is chosen by default; wait for its figures before switching.
    await browser.waitUntil(async () => (await text(browser, 'total-quota')) === '99', {
      timeout: 20000,
      timeoutMsg: 'the total row never showed a quota of 99',
    });

    await select.click();
    const option = await browser.$(
      "//li[contains(@class,'el-select-dropdown__item')][normalize-space(.)='东风镇']",
    );
    await option.waitForDisplayed({ timeout: 10000 });
    await option.click();

    await browser.waitUntil(async () => (await text(browser, 'total-vacancies')) === '39', {
      timeout: 10000,
      timeoutMsg: 'vacancies never became 39 after choosing 东风镇',
    });
    assert.equal(await text(browser, 'total-quota'), '99');
    assert.equal(await text(browser, 'total-on_duty'), '68');
    assert.equal(await text(browser, 'total-on_roll'), '60');
    assert.equal(await text(browser, 'total-seconded_in'), '8');
    assert.equal(await text(browser, 'total-vacancies'), '39');
    // The unit rows are there too, among them the stations the city manages.
    const table = await browser.$('[data-testid="staffing-table"]').getText();
    for (const unit of ['综合办公室', '社会治理服务中心', '国土所', '财政所', '林业站', '司法所']) {
      assert.ok(table.includes(unit), `the table lacks ${unit}`);
    }

    const shot = await screenshot(join(out, 'staffing-东风镇.png'));
    assert.ok(statSync(shot).size > 10_000, 'the screenshot is suspiciously small');
  } finally {
    await close();
  }
});

test('the staffing command refuses bad input from the window with a Chinese message', async () => {
  const out = outputDir('staffing-bad-input');
  const { browser, close } = await startApp(out);
  try {
    await browser.$('[data-testid="town-select"]').waitForDisplayed({ timeout: 20000 });
    // Call the backend directly, as a page that bypassed the form would.
    const call = (args) =>
      browser.executeAsync((args, done) => {
        window.__TAURI_INTERNALS__
          .invoke('staffing', args)
          .then((r) => done({ ok: r }))
          .catch((e) => done({ err: e }));
      }, args);
    const badDate = await call({ town: '东风镇', on: '2026-13-40' });
    assert.equal(badDate.err?.code, 'invalid_input', JSON.stringify(badDate));
    assert.match(badDate.err.message, /日期“2026-13-40”无效/);
    const badTown = await call({ town: '不存在镇', on: null });
    assert.equal(badTown.err?.code, 'invalid_input', JSON.stringify(badTown));
    assert.match(badTown.err.message, /乡镇“不存在镇”不存在/);
    // The same call with good input still answers, so nothing was left broken.
    const good = await call({ town: '东风镇', on: '2026-11-28' });
    assert.equal(good.ok?.towns?.[0]?.vacancies, 39, JSON.stringify(good));
  } finally {
    await close();
  }
});
