// The hall's front at the counter (issue 19), through the real window: residents take tickets
// (the command line stands in for the kiosk, on the same database), the clerk calls them with
// F2 from the intake screen and marks one 过号 with F4, and the day's figures count them. The clock is fixed at a Monday morning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { outputDir, paths, screenshot, startApp } from './harness.mjs';

const NOW = '2026-11-30T09:30';

test('the clerk calls the next resident with F2, skips with F4, and the day\'s figures count them', async () => {
  const out = outputDir('front-counter');
  const env = { BIANMIN_NOW: NOW };
  const { browser, close } = await startApp(out, { login: 'chuangkou', today: '2026-11-30', env });
  const cli = (args) =>
    JSON.parse(
      execFileSync(paths.cli, args, {
        env: { ...process.env, ...env, XDG_DATA_HOME: join(out, 'xdg-data'), BIANMIN_DB: '' },
      }).toString(),
    );
  try {
    await browser.$('[data-testid="queue-bar"]').waitForDisplayed({ timeout: 20000 });
    // Two residents at 综合窗口, where the demo rota seats DF0013 (chuangkou) on Mondays.
    for (const expected of ['A001', 'A002']) {
      const taken = cli(['queue', 'take', '--town', '东风镇', '--post', '综合窗口', '--json']);
      assert.equal(taken.ticket, expected);
    }
    const current = () => browser.$('[data-testid="queue-current"]').getText();
    await browser.keys('F2');
    await browser.waitUntil(async () => (await current()).includes('A001'), {
      timeout: 10000,
      timeoutMsg: 'F2 did not call A001',
    });
    await screenshot(join(out, 'called.png'));
    await browser.keys('F2');
    await browser.waitUntil(async () => (await current()).includes('A002'), {
      timeout: 10000,
      timeoutMsg: 'F2 did not call A002',
    });
    const stats = cli(['queue', 'stats', '--town', '东风镇', '--json']);
    assert.equal(stats.tickets, 2);
    assert.equal(stats.served, 1);
    // F4: 过号; nobody is left.
    await browser.keys('F4');
    await browser.waitUntil(async () => (await current()).includes('F2'), { timeout: 10000 });
    await browser.keys('F2');
    await browser.waitUntil(async () => (await current()).includes('没有等候的群众'), { timeout: 10000 });
    const after = cli(['queue', 'stats', '--town', '东风镇', '--json']);
    assert.equal(after.skipped, 1);
    await screenshot(join(out, 'nobody-waiting.png'));
  } finally {
    await close();
  }
});
