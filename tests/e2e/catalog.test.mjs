// The catalogue screen: a clerk types pinyin initials and finds the item, opens it and asks
// whether the counter may do it today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { outputDir, screenshot, startApp } from './harness.mjs';

test('事项目录: typing lsjz finds 临时救助, and the item page answers for the counter', async () => {
  const out = outputDir('catalog');
  const { browser, close } = await startApp(out);
  try {
    const menu = await browser.$("//li[contains(@class,'el-menu-item')][contains(.,'事项目录')]");
    await menu.waitForDisplayed({ timeout: 20000 });
    await menu.click();

    // The banner announces the forestry letter ending within 30 days and the expired one.
    const banner = await browser.$('[data-testid="letter-banner"]');
    await banner.waitForDisplayed({ timeout: 20000 });
    const bannerText = await banner.getText();
    assert.match(bannerText, /市林业局委〔2024〕12号/);
    assert.match(bannerText, /市农业农村局委〔2023〕7号/);

    const search = await browser.$('[data-testid="catalog-search"] input, input[data-testid="catalog-search"]');
    await search.waitForDisplayed({ timeout: 10000 });
    await search.click();
    await search.setValue('lsjz');
    await browser.waitUntil(
      async () => {
        const names = await browser.$$('[data-testid="item-name"]');
        if (names.length !== 1) return false;
        return (await names[0].getText()).trim() === '临时救助';
      },
      { timeout: 10000, timeoutMsg: 'lsjz did not narrow the list to 临时救助' },
    );
    await screenshot(join(out, 'catalog-lsjz.png'));

    // Enter opens the first result.
    await browser.keys('Enter');
    const check = await browser.$('[data-testid="counter-check"]');
    await check.waitForDisplayed({ timeout: 10000 });
    const title = await browser.$('h2, .item-title');
    assert.match(await title.getText(), /临时救助/);

    // Choose a clerk of 朱昌镇's service centre and read the decisions the backend sent. The
    // dropdown animates in; a click during the animation can miss, so wait for it and retry.
    const staffSelect = await browser.$('[data-testid="staff-select"]');
    for (let attempt = 0; attempt < 3; attempt++) {
      await staffSelect.click();
      const option = await browser.$(
        "//li[contains(@class,'el-select-dropdown__item')][contains(.,'窗口人员')]",
      );
      await option.waitForDisplayed({ timeout: 10000 });
      await browser.pause(400);
      await option.click();
      const chosen = await browser
        .$('[data-testid="decision-accept"]')
        .waitForExist({ timeout: 5000 })
        .then(() => true, () => false);
      if (chosen) break;
    }
    const accept = await browser.$('[data-testid="decision-accept"]');
    await browser.waitUntil(async () => (await accept.getAttribute('class'))?.includes('allowed'), {
      timeout: 10000,
      timeoutMsg: 'a clerk was not allowed to accept a delegated item',
    });
    const approve = await browser.$('[data-testid="decision-approve"]');
    await browser.waitUntil(async () => (await approve.getAttribute('class'))?.includes('refused'), {
      timeout: 10000,
      timeoutMsg: 'a clerk was allowed to approve',
    });
    assert.match(await approve.getText(), /不是审批人员或镇领导/);
    await check.scrollIntoView();
    await browser.pause(500);
    await screenshot(join(out, 'item-临时救助.png'));
  } catch (e) {
    await screenshot(join(out, 'failure.png')).catch(() => {});
    throw e;
  } finally {
    await close();
  }
});
