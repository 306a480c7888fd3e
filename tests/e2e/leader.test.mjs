// The township leader's screens for 东风镇: the overview with its chart and alerts, a unit's
// people, the rota week, demand against staffed counters, and the same figures on a past date,
// each checked against what `bianmin staffing --json` says for that date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { outputDir, paths, screenshot, startApp, textOf, townLocked } from './harness.mjs';

/** What the CLI reports for 东风镇 on `on`, from the app's own database. */
function cliFigures(dataHome, on) {
  const out = execFileSync(paths.cli, ['staffing', '--town', '东风镇', '--on', on, '--json'], {
    env: { ...process.env, XDG_DATA_HOME: dataHome, BIANMIN_TODAY: '2026-11-28' },
  });
  return JSON.parse(out.toString()).towns[0];
}

/** What the CLI computes for 东风镇's counters from the request history, on the app's today. */
function cliDemand(dataHome) {
  const out = execFileSync(paths.cli, ['counters', '--town', '东风镇', '--json'], {
    env: { ...process.env, XDG_DATA_HOME: dataHome, BIANMIN_TODAY: '2026-11-28' },
  });
  return JSON.parse(out.toString());
}

/** Types a date one key per command (WebKitWebDriver drops a repeated key sent in one go). */
async function typeDate(browser, value) {
  const input = await browser.$('#staffing-date');
  await input.click();
  await browser.keys(['Control', 'a']);
  await browser.keys('Backspace');
  for (const ch of value) await browser.keys(ch);
  await browser.keys('Enter');
}

async function waitForText(browser, id, expected, what) {
  await browser.waitUntil(async () => (await textOf(browser, id).catch(() => '')) === expected, {
    timeout: 20000,
    timeoutMsg: `${what}: ${id} never became ${expected}`,
  });
}

test('镇领导: 东风镇 shows 39 vacancies, flags a unit without an enforcement pair, and drills down', async () => {
  const out = outputDir('leader');
  const dataHome = join(out, 'xdg-data');
  // With the four weeks of requests `init --demo` makes, so that the demand panel has arrivals.
  const { browser, close } = await startApp(out, { history: 'recent' });
  try {
    // The leader's account is tied to 东风镇: the screen opens on it and offers no other town.
    const select = await browser.$('[data-testid="town-select"]');
    await select.waitForDisplayed({ timeout: 30000 });
    await browser.waitUntil(async () => (await textOf(browser, 'staffing-table').catch(() => '')).includes('林业站'), {
      timeout: 20000,
      timeoutMsg: '东风镇\'s table never showed 林业站',
    });
    assert.match(await select.getText(), /东风镇/);
    assert.ok(await townLocked(browser), 'a town leader can switch towns');
    const today = cliFigures(dataHome, '2026-11-28');
    await waitForText(browser, 'total-vacancies', '39', 'today');
    assert.equal(today.vacancies, 39);
    for (const field of ['quota', 'on_roll', 'seconded_in', 'seconded_out', 'on_leave', 'on_duty', 'hall_staff', 'field_staff']) {
      assert.equal(await textOf(browser, `total-${field}`), String(today[field]), `total ${field}`);
    }

    // The chart is drawn (ECharts renders into a canvas).
    const canvas = await browser.$('[data-testid="staffing-chart"] canvas');
    await canvas.waitForExist({ timeout: 10000 });
    assert.ok((await canvas.getSize('width')) > 300, 'the chart canvas is too narrow to read');
    // What the chart was given to draw (read back from ECharts into its data table) is the
    // CLI's quota, on roll and on duty for every unit, in the table's order.
    const drawn = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="staffing-chart-data"] tbody tr')].map((tr) => [
        tr.querySelector('th').textContent.replace(/^⚠ /, '').trim(),
        ...[...tr.querySelectorAll('td')].map((td) => Number(td.textContent)),
      ]),
    );
    assert.deepEqual(
      drawn,
      today.units.map((u) => [u.name, u.quota, u.on_roll, u.on_duty]),
      'the chart draws other figures than the CLI reports',
    );

    // Every unit the CLI flags is flagged on the screen, and at least one is.
    const flagged = today.units.filter((u) => !u.enforcement_ok).map((u) => u.name);
    assert.ok(flagged.length > 0, 'the demo should leave a unit without an enforcement pair');
    for (const unit of flagged) {
      const alert = await browser.$(`[data-testid="alert-enforcement-${unit}"]`);
      assert.ok(await alert.isExisting(), `no alert for ${unit}`);
      assert.match(await alert.getText(), /不足两人/);
    }
    await screenshot(join(out, '1-overview-东风镇.png'));

    // Drill down into the first flagged unit from its row in the table.
    const unit = flagged[0];
    const rows = await browser.$$('[data-testid="cell-name"]');
    let clicked = false;
    for (const row of rows) {
      if ((await row.getText()).trim() === unit) {
        await row.scrollIntoView();
        await row.click();
        clicked = true;
        break;
      }
    }
    assert.ok(clicked, `no row for ${unit}`);
    const people = await browser.$('[data-testid="unit-people-table"]');
    await people.waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => (await people.getText()).includes('在岗'), {
      timeout: 10000,
      timeoutMsg: `${unit}'s people never showed`,
    });
    const listed = await people.getText();
    const expectedPeople = today.units.find((u) => u.name === unit);
    assert.ok(listed.includes('行政执法证'), `${unit}'s people show no enforcement credential:\n${listed}`);
    assert.ok(expectedPeople.on_roll + expectedPeople.seconded_in > 0);
    await browser.pause(500); // the drawer slides in
    await screenshot(join(out, `2-people-${unit}.png`));
    await browser.keys('Escape');
    await people.waitForDisplayed({ timeout: 10000, reverse: true });

    // The rota week: each hall post with the people rostered.
    await browser.$('#tab-rota').click();
    const grid = await browser.$('[data-testid="rota-grid"]');
    await grid.waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => (await grid.$$('.seat')).length > 0, { timeout: 10000 });
    const header = await browser.execute(
      () => document.querySelector('[data-testid="rota-grid"] .el-table__header-wrapper')?.textContent ?? '',
    );
    assert.match(header, /周一 11-23/);
    assert.ok((await grid.$$('.seat')).length >= today.hall_staff, 'fewer seats on the rota than hall staff');
    await screenshot(join(out, '3-rota.png'));

    // Demand against staffed counters per post and hour.
    await browser.$('#tab-demand').click();
    const demand = await browser.$('[data-testid="demand-table"]');
    await demand.waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => (await demand.$$('.demand-cell')).length > 0, { timeout: 10000 });
    assert.match(await textOf(browser, 'demand-basis'), /个工作日/);
    // Every cell shows what the CLI computes from the same history, and residents did come.
    const expected = cliDemand(dataHome);
    const cells = await browser.execute(() =>
      Object.fromEntries(
        [...document.querySelectorAll('[data-testid="demand-table"] .demand-cell')].map((c) => [
          c.dataset.testid,
          c.textContent.replace(/\s+/g, ''),
        ]),
      ),
    );
    // 2026-11-28 is a Saturday: the hall is closed, so the panel says so and shows what a
    // working day needs, compared with no rota.
    assert.equal(expected.open, false);
    assert.match(await textOf(browser, 'demand-closed'), /2026-11-28 是休息日，大厅不开放/);
    assert.equal(await browser.$('[data-testid="demand-short"]').isExisting(), false);
    const shown = (h) => `工作日需${h.needed}每小时${h.arrivals_per_hour}人`;
    let arrivals = 0;
    for (const post of expected.posts) {
      for (const h of post.hours) {
        const id = `demand-${post.post}-${h.hour}`;
        assert.equal(cells[id], shown(h), id);
        arrivals += h.arrivals_per_hour;
      }
    }
    // And the hall's total per hour, under the posts.
    for (const h of expected.totals) {
      const id = `demand-total-${h.hour}`;
      assert.equal(cells[id], shown(h), id);
    }
    assert.equal(
      Object.keys(cells).length,
      expected.posts.reduce((n, p) => n + p.hours.length, 0) + expected.totals.length,
    );
    assert.ok(arrivals > 0, 'the history gave the demand panel no arrivals');
    // The general counter, where 东风镇's clerk DF0013 sits, takes residents and shows them.
    const general = expected.posts.find((p) => p.post === '综合窗口');
    assert.ok(general.hours.some((h) => h.arrivals_per_hour > 0), 'the general counter shows no residents');
    await screenshot(join(out, '4-demand.png'));

    // The same screen on a past date shows that date's figures, as the CLI computes them.
    await browser.$('#tab-overview').click();
    const past = '2025-06-30';
    const then = cliFigures(dataHome, past);
    await typeDate(browser, past);
    await browser.waitUntil(async () => (await textOf(browser, 'report-date').catch(() => '')).includes(past), {
      timeout: 15000,
      timeoutMsg: 'the report never switched to the past date',
    });
    await waitForText(browser, 'total-on_duty', String(then.on_duty), 'past date');
    for (const field of ['quota', 'on_roll', 'seconded_in', 'seconded_out', 'on_leave', 'on_duty', 'vacancies', 'hall_staff', 'field_staff']) {
      assert.equal(await textOf(browser, `total-${field}`), String(then[field]), `total ${field} on ${past}`);
    }
    await screenshot(join(out, '5-overview-past.png'));
  } finally {
    await close();
  }
});
