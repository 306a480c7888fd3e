// The hall's front in real browsers (issue 19): `bianmin serve` over a demo hall, the
// administrator opens a device session for a kiosk, the waiting-room screen and a counter's
// rating pad, each a headless Chromium driven by chromedriver (Debian's, no download). A
// morning runs through them: residents take tickets at the kiosk (one by the 绿色通道), the
// counter calls them through the server, the screen shows each call (the push latency is
// measured), the counter finishes a resident with the request taken in and the pad rates it
// (a 差评 with reasons opens a follow-up); the pad keeps a rating made while the server is down
// and sends it once when it is back; the screen reconnects by itself and shows the closed-hall
// message after hours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remote } from 'webdriverio';
import { DEMO_PASSWORD, canConnect, freePort, outputDir, paths, startHallServer } from './harness.mjs';

const CHROMIUM = process.env.BIANMIN_CHROMIUM ?? '/usr/bin/chromium';
const CHROMEDRIVER = process.env.BIANMIN_CHROMEDRIVER ?? '/usr/bin/chromedriver';
const MORNING = '2026-12-07T09:30'; // a Monday, the hall open
const AFTER_HOURS = '2026-12-07T12:30'; // the midday break

async function post(url, path, body, token) {
  const res = await fetch(`${url}/api/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

const login = async (url, username) => (await post(url, 'login', { username, password: DEMO_PASSWORD })).token;

/** chromedriver on a free port, and a function that opens a headless Chromium session. */
async function startChromedriver(out) {
  const port = await freePort();
  const driver = spawn(CHROMEDRIVER, [`--port=${port}`], { stdio: 'ignore' });
  const deadline = Date.now() + 15000;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline || driver.exitCode !== null) throw new Error('chromedriver did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const sessions = [];
  const open = async (name, width = 1280, height = 800) => {
    const profile = join(out, `profile-${name}`);
    mkdirSync(profile, { recursive: true });
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      path: '/',
      logLevel: 'error',
      capabilities: {
        browserName: 'chrome',
        'wdio:enforceWebDriverClassic': true,
        'goog:chromeOptions': {
          binary: CHROMIUM,
          args: [
            '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
            '--disable-background-networking', '--disable-component-update', '--no-first-run',
            '--disable-sync', '--autoplay-policy=no-user-gesture-required', '--lang=zh-CN',
            `--window-size=${width},${height}`, `--user-data-dir=${profile}`,
          ],
        },
      },
    });
    sessions.push(browser);
    return browser;
  };
  const close = async () => {
    for (const b of sessions) await b.deleteSession().catch(() => {});
    driver.kill();
  };
  return { open, close };
}

async function until(what, check, ms = 8000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bodyText = (b) => b.execute(() => document.body.innerText);
const shot = (b, out, name) => b.saveScreenshot(join(out, `${name}.png`));

test('a morning runs through the kiosk, the counter, the screen and the pad in real browsers', async () => {
  const out = outputDir('front-pages');
  const env = { ...process.env };
  delete env.BIANMIN_DB;
  let hall = await startHallServer(join(out, 'server'), env, { now: MORNING });
  const port = new URL(hall.url).port;
  const chrome = await startChromedriver(out);
  try {
    // The administrator opens the three devices.
    const admin = await login(hall.url, 'guanli');
    const opened = {};
    for (const [kind, extra] of [['kiosk', {}], ['screen', {}], ['pad', { staff: 'DF0013' }]]) {
      opened[kind] = await post(hall.url, 'device_open', { kind, label: `测试${kind}`, ...extra }, admin);
      assert.match(opened[kind].link, new RegExp(`^/hall/${kind}#device=[0-9a-f]{64}$`));
    }
    // Without a device session the device API answers 401; the pages themselves hold no data.
    const bare = await fetch(`${hall.url}/api/device/board`);
    assert.equal(bare.status, 401);

    const kiosk = await chrome.open('kiosk');
    const screen = await chrome.open('screen', 1920, 1080);
    const pad = await chrome.open('pad', 1024, 768);
    await kiosk.url(`${hall.url}/hall/kiosk?print=0${opened.kiosk.link.slice('/hall/kiosk'.length)}`);
    await screen.url(`${hall.url}${opened.screen.link}`);
    await pad.url(`${hall.url}${opened.pad.link}`);
    // The token is kept on the device and taken out of the address bar.
    assert.equal(new URL(await screen.getUrl()).hash, '');

    // The kiosk: posts in plain words; a resident takes a ticket at 综合窗口, another by the
    // 绿色通道.
    await until('kiosk posts', async () => (await bodyText(kiosk)).includes('综合窗口'));
    assert.match(await bodyText(kiosk), /可办：.*居民身份证申领/);
    await shot(kiosk, out, 'kiosk');
    const takeAtKiosk = async (priority) => {
      if (priority) await (await kiosk.$(`button[data-priority="${priority}"]`)).click();
      await (await kiosk.$('button[data-post="综合窗口"]')).click();
      const shown = await until('ticket shown', async () =>
        kiosk.execute(() => document.querySelector('.ticket')?.dataset.ticket ?? null));
      const text = await bodyText(kiosk);
      await shot(kiosk, out, `kiosk-ticket-${shown}`);
      assert.ok(await kiosk.$('iframe.slip').isExisting(), 'the slip is shown to print');
      await (await kiosk.$('.ticket button')).click();
      return { ticket: shown, text };
    };
    const first = await takeAtKiosk(null);
    assert.equal(first.ticket, 'A001');
    assert.match(first.text, /前面没有人等候/);
    const elder = await takeAtKiosk('老年人');
    assert.equal(elder.ticket, 'A002');
    assert.match(elder.text, /绿色通道/);

    // The screen shows both waiting, the 绿色通道 first.
    await until('screen waiting', async () => (await bodyText(screen)).includes('等候 2 人'));
    assert.match(await bodyText(screen), /下一位：A002\s+A001/);
    // The screen's clock is the hall's (the server's), not the device's own.
    await until('the hall clock', async () => (await bodyText(screen)).includes('2026年12月7日 09:30'));

    // Ten more residents (the kiosk's own API, as its page calls it), then the counter calls
    // each through the server: the time from the call's answer to the screen showing it.
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${hall.url}/api/device/take`, {
        method: 'POST',
        headers: { Authorization: `Device ${opened.kiosk.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ post: '综合窗口' }),
      });
      assert.equal(res.status, 200);
    }
    const clerk = await login(hall.url, 'chuangkou');
    const latencies = [];
    let called = [];
    for (let i = 0; i < 12; i++) {
      const sent = Date.now();
      const c = await post(hall.url, 'queue_call', {}, clerk);
      called.push(c.ticket);
      const shownAt = await until(`screen shows ${c.ticket}`, async () =>
        screen.execute((t) => {
          const key = Object.keys(window.hallShown).find((k) => k.startsWith(`${t}@`));
          return key ? window.hallShown[key] : null;
        }, c.ticket), 5000);
      latencies.push(shownAt - sent);
    }
    assert.deepEqual(called.slice(0, 2), ['A002', 'A001'], 'the 绿色通道 is called first');
    const sorted = [...latencies].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const figures = { calls: latencies.length, median_ms: median, max_ms: sorted.at(-1), latencies_ms: latencies };
    writeFileSync(join(out, 'push-latency.json'), JSON.stringify(figures, null, 2));
    console.log(`screen push latency: ${JSON.stringify(figures)}`);
    assert.ok(sorted.at(-1) < 1000, `every call on the screen within a second: ${latencies}`);
    const board = await bodyText(screen);
    assert.match(board, new RegExp(`请 ${called.at(-1)} 号到 \\d+ 号窗口办理`));
    await shot(screen, out, 'screen');

    // The counter takes the resident's request in and finishes the ticket with it: the pad
    // shows the clerk and the item, with no grade chosen.
    const made = JSON.parse(
      execFileSync(
        paths.cli,
        ['--server', hall.url, 'request', 'new', '--item', 'MZ-005', '--name', '王喆赟', '--id', '520203198503121233',
          '--staff', 'DF0013', '--json'],
        { env: { ...env, BIANMIN_USER: 'chuangkou', BIANMIN_PASSWORD: DEMO_PASSWORD } },
      ).toString(),
    );
    await post(hall.url, 'queue_done', { what: 'finish', request: made.number }, clerk);
    await until('pad shows the item', async () => (await bodyText(pad)).includes('老年人优待证办理'));
    assert.match(await bodyText(pad), /DF0013/);
    assert.equal(await pad.execute(() => document.querySelectorAll('.grades button[aria-pressed="true"]').length), 0);
    assert.equal(await (await pad.$('button.send')).isEnabled(), false, 'nothing to send before a grade');
    // 不满意: reasons to tick appear; sent.
    await (await pad.$('button[data-grade="2"]')).click();
    await (await pad.$('input[value="等候时间长"]')).click();
    await shot(pad, out, 'pad-bad');
    await (await pad.$('button.send')).click();
    await until('thanks', async () => (await bodyText(pad)).includes('感谢您的评价'));
    const leader = await login(hall.url, 'lingdao');
    const bad = await post(hall.url, 'rating_list', { bad: true }, leader);
    assert.equal(bad.length, 1);
    assert.equal(bad[0].request, made.number);
    assert.deepEqual(bad[0].reasons, ['等候时间长']);
    assert.ok(bad[0].followup_id && bad[0].due, 'a 差评 opens a follow-up with its due date');

    // The next resident is served with no request taken in: the pad offers the visit. The
    // server goes down; the pad says so and keeps the rating; the server comes back; the
    // rating is sent, once.
    const walkIn = await fetch(`${hall.url}/api/device/take`, {
      method: 'POST',
      headers: { Authorization: `Device ${opened.kiosk.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ post: '综合窗口' }),
    });
    assert.equal(walkIn.status, 200);
    await post(hall.url, 'queue_call', {}, clerk);
    await post(hall.url, 'queue_done', { what: 'finish' }, clerk);
    await until('pad offers the visit', async () => (await bodyText(pad)).includes('请评价本次办事'));
    await hall.stop();
    await until('pad shows the link is down', async () =>
      (await pad.execute(() => document.body.dataset.link)) === 'offline');
    await (await pad.$('button[data-grade="4"]')).click();
    await (await pad.$('button.send')).click();
    await until('rating kept', async () => (await pad.execute(() => document.body.dataset.outbox)) === '1');
    assert.match(await bodyText(pad), /评价已保存在本机/);
    await shot(pad, out, 'pad-offline');
    assert.equal(await screen.execute(() => document.body.dataset.link), 'offline');
    await shot(screen, out, 'screen-offline');

    hall = await startHallServer(join(out, 'server'), env, { port, now: MORNING });
    await until('pad sent it', async () => (await pad.execute(() => document.body.dataset.outbox)) === '0', 15000);
    await until('screen back', async () => (await screen.execute(() => document.body.dataset.link)) === 'online', 15000);
    const all = await post(hall.url, 'rating_list', {}, await login(hall.url, 'lingdao'));
    assert.equal(all.filter((r) => r.grade === 4).length, 1, 'the kept rating is stored once');
    assert.equal(all.length, 2);

    // After hours the screen and the kiosk say so, politely.
    await hall.stop();
    hall = await startHallServer(join(out, 'server'), env, { port, now: AFTER_HOURS });
    await until('screen closed message', async () =>
      screen.execute(() => !document.getElementById('closed').hidden), 15000);
    const closed = await screen.execute(() => document.getElementById('closed').textContent);
    assert.match(closed, /14:00/);
    await shot(screen, out, 'screen-closed');
    await until('kiosk closed', async () => kiosk.execute(() => !document.getElementById('closed').hidden), 15000);
    assert.equal(await kiosk.execute(() => document.querySelectorAll('button.post:not([disabled])').length), 0);

    // A closed device is shut out at once.
    const admin2 = await login(hall.url, 'guanli');
    await post(hall.url, 'device_close', { id: opened.screen.device.id }, admin2);
    const gone = await fetch(`${hall.url}/api/device/board`, { headers: { Authorization: `Device ${opened.screen.token}` } });
    assert.equal(gone.status, 401);
  } finally {
    await chrome.close();
    await hall.stop();
  }
});
