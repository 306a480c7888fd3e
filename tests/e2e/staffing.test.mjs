// The leader's first screen: 人员编制 for 东风镇 shows the seed's 99 / 68 / 39.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { callFromPage, logIn, outputDir, paths, pickOption, screenshot, startApp, townLocked } from './harness.mjs';

/** The environment the CLI needs to read the test's database (the app's own data folder). */
const cliEnv = (out) => {
  const env = { ...process.env, XDG_DATA_HOME: join(out, 'xdg-data'), BIANMIN_TODAY: '2026-11-28' };
  delete env.BIANMIN_DB;
  return env;
};

const text = async (browser, testid) => (await browser.$(`[data-testid="${testid}"]`).getText()).trim();

test('人员编制: the leader sees 东风镇 only (99 / 68 / 39); the county account chooses any town', async () => {
  const out = outputDir('staffing');
  const { browser, close } = await startApp(out);
  try {
    const select = await browser.$('[data-testid="town-select"]');
    await select.waitForDisplayed({ timeout: 20000 });
    // lingdao is 东风镇's leader: the screen opens on 东风镇 and the picker offers nothing else.
    await browser.waitUntil(async () => (await text(browser, 'total-vacancies')) === '39', {
      timeout: 20000,
      timeoutMsg: 'vacancies never became 39 on 东风镇',
    });
    assert.match(await select.getText(), /东风镇/);
    assert.ok(await townLocked(browser), 'a town leader was offered other towns');
    assert.equal(await text(browser, 'total-quota'), '99');
    assert.equal(await text(browser, 'total-on_duty'), '68');
    assert.equal(await text(browser, 'total-on_roll'), '60');
    assert.equal(await text(browser, 'total-seconded_in'), '8');
    // The unit rows are there too, among them the stations the city manages.
    const table = await browser.$('[data-testid="staffing-table"]').getText();
    for (const unit of ['综合办公室', '社会治理服务中心', '国土所', '财政所', '林业站', '司法所']) {
      assert.ok(table.includes(unit), `the table lacks ${unit}`);
    }
    const shot = await screenshot(join(out, 'staffing-东风镇.png'));
    assert.ok(statSync(shot).size > 10_000, 'the screenshot is suspiciously small');

    // A page that bypassed the picker is refused by the backend, for every screen of a town.
    assert.deepEqual(await callFromPage(browser, 'list_towns'), { ok: ['东风镇'] });
    for (const [cmd, args] of [
      ['staffing', { town: '朱昌镇', on: null }],
      ['staffing', { town: null, on: null }],
      ['staffing_demand', { town: '朱昌镇', on: null }],
      ['rota_week', { town: '朱昌镇', on: null }],
      ['request_list', { town: '朱昌镇', list: 'today' }],
      ['request_search', { town: '朱昌镇', query: '李' }],
    ]) {
      const r = await callFromPage(browser, cmd, args);
      if (args.town === null) {
        // No town asked: the leader's own, never all three.
        assert.deepEqual(r.ok?.towns?.map((t) => t.name), ['东风镇'], `${cmd} ${JSON.stringify(r)}`);
        continue;
      }
      assert.equal(r.err?.code, 'forbidden', `${cmd} ${JSON.stringify(r)}`);
      assert.equal(r.err.message, '当前账号属于东风镇，无权查看朱昌镇的办件和人员；查看各乡镇需要县级领导账号。');
    }

    // The county's account (县级领导) is offered every town and switches between them.
    await browser.$('[data-testid="logout"]').click();
    await logIn(browser, 'xianji');
    await browser.$('[data-testid="menu-staffing"]').click();
    await select.waitForDisplayed({ timeout: 20000 });
    assert.equal(await townLocked(browser), false, 'the county account cannot choose a town');
    for (const [town, vacancies] of [['东风镇', '39'], ['朱昌镇', null]]) {
      await pickOption(browser, 'town-select', town, async () =>
        browser.waitUntil(async () => (await select.getText()).includes(town), { timeout: 5000 }).then(() => true, () => false),
      );
      const cli = JSON.parse(
        execFileSync(paths.cli, ['staffing', '--town', town, '--on', '2026-11-28', '--json'], { env: cliEnv(out) }).toString(),
      ).towns[0];
      if (vacancies) assert.equal(String(cli.vacancies), vacancies);
      await browser.waitUntil(async () => (await text(browser, 'total-vacancies')) === String(cli.vacancies), {
        timeout: 10000,
        timeoutMsg: `vacancies never became ${cli.vacancies} after choosing ${town}`,
      });
      await screenshot(join(out, `staffing-county-${town}.png`));
    }
  } finally {
    await close();
  }
});

test('the staffing command refuses bad input from the window with a Chinese message', async () => {
  const out = outputDir('staffing-bad-input');
  // The county's account, which may ask for any town: a town that does not exist is bad input.
  const { browser, close } = await startApp(out, { login: 'xianji' });
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
