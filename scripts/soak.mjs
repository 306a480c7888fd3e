// A counter's working day, compressed: the real app (debug build, driven through WebDriver like
// the end-to-end tests) takes residents in, keeps the request list open while it refreshes, opens
// requests and previews their receipts, hour after hour; after each "hour" it samples the memory
// of every app process (the app and WebKit's web and network processes: PSS, from
// /proc/PID/smaps_rollup), and also after each round of list, request and preview within the
// hour. It prints each hour's sample and the median of its rounds, and the end against the first
// hour (warm-up), both ways. Run: `xvfb-run -a node scripts/soak.mjs` after `bash scripts/test.sh` (or the
// e2e build); BIANMIN_SOAK_HOURS (8), BIANMIN_SOAK_INTAKES (30 per hour) and BIANMIN_SOAK_BEFORE (residents
// taken in before the first hour, 0) change the day; BIANMIN_SOAK_PREVIEWS=0 leaves the previews out.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { callFromPage, drawnPage, outputDir, startApp } from '../tests/e2e/harness.mjs';

const hours = Number(process.env.BIANMIN_SOAK_HOURS ?? 8);
const intakes = Number(process.env.BIANMIN_SOAK_INTAKES ?? 30);
// Residents taken in before the first hour (none by default): with 200 the request list is full
// (it shows the newest 200) from the start, so that the hours compare like with like.
const before = Number(process.env.BIANMIN_SOAK_BEFORE ?? 0);
// BIANMIN_SOAK_PREVIEWS=0: the day without the receipts' previews (list and request page only),
// to tell which part grows.
const previews = process.env.BIANMIN_SOAK_PREVIEWS !== '0';
const CLERK = { username: 'zc0015', name: '周金凤', roles: '窗口人员', staff: 'ZC0015' };

/**
 * PSS in KiB of every process of this run's app: bianmin-app and WebKit's helpers, told from
 * another app running on the same machine (another test run) by the data folder in their
 * environment.
 */
function pss(dataHome) {
  let total = 0;
  const parts = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let name;
    try {
      name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (!/^(bianmin-app|WebKitWebProces|WebKitNetworkPr)/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`XDG_DATA_HOME=${dataHome}`)) continue;
    } catch {
      continue;
    }
    try {
      const kib = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))[1]);
      total += kib;
      parts[name] = (parts[name] ?? 0) + kib;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return { total, parts };
}

const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
const show = (label, s) =>
  console.log(`${label}: ${mib(s.total)} (${Object.entries(s.parts).map(([n, k]) => `${n} ${mib(k)}`).join(', ')})`);

const out = outputDir('soak');
const dataHome = join(out, 'xdg-data');
const { browser, close } = await startApp(out, { account: CLERK, login: CLERK.username });
try {
  for (let k = 0; k < before; k++) {
    const made = await callFromPage(browser, 'request_new', {
      staff: CLERK.staff, item: 'MZ-001', name: `早到${String.fromCharCode(0x4e00 + (k % 500))}`,
      id: '520203198503121233', phone: null, materials: null, remark: null,
    });
    if (!made.ok) throw new Error(JSON.stringify(made));
  }
  await browser.pause(3000);
  const fresh = pss(dataHome);
  show('fresh, logged in', fresh);
  const samples = [];
  const medians = [];
  const within = [];
  let n = 0;
  for (let hour = 1; hour <= hours; hour++) {
    for (let i = 0; i < intakes; i++) {
      n += 1;
      const made = await callFromPage(browser, 'request_new', {
        staff: CLERK.staff, item: 'MZ-001', name: `测试${String.fromCharCode(0x4e00 + (n % 500))}`,
        id: '520203198503121233', phone: null, materials: null, remark: null,
      });
      if (!made.ok) throw new Error(JSON.stringify(made));
      // Every fifth resident: the clerk opens the list, then the request, then previews its receipt.
      if (i % 5 === 0) {
        await browser.$('[data-testid="menu-requests"]').click();
        await browser.$('[data-testid="requests-table"]').waitForDisplayed({ timeout: 10000 });
        await browser.pause(2000);
        await browser.execute((no) => window.location.assign(`#/requests/${no}`), made.ok.number);
        const print = await browser.$('[data-testid="request-print"]');
        await print.waitForDisplayed({ timeout: 10000 });
        if (!previews) {
          await browser.$('[data-testid="menu-intake"]').click();
          await browser.pause(500);
          within.push(pss(dataHome).total);
          continue;
        }
        await print.click();
        await browser.$('[data-testid="preview-page"]').waitForDisplayed({ timeout: 20000 });
        // The page really drew (a page never decoded would make the figures meaningless): its
        // ink counted on the first preview only, as reading the pixels back costs memory too.
        await browser.waitUntil(
          async () => {
            const page = await drawnPage(browser, { ink: n === 1 });
            return page !== null && page.width > 800 && (n > 1 || page.ink > 1000);
          },
          { timeout: 20000, timeoutMsg: 'the preview shows no page image' },
        );
        await browser.keys('Escape');
        await browser.pause(300);
        await browser.$('[data-testid="menu-intake"]').click();
        // A sample after each round of list, request and preview: one sample an hour caught
        // WebKit's memory anywhere in a swing of 50 MiB or more either way.
        await browser.pause(500);
        within.push(pss(dataHome).total);
      }
    }
    const s = pss(dataHome);
    if (Object.keys(s.parts).length !== 3) throw new Error(`expected the app's three processes: ${JSON.stringify(s.parts)}`);
    samples.push(s);
    const sorted = [...within].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    medians.push(median);
    show(`hour ${hour} (${n} residents)`, s);
    console.log(`  within hour ${hour}: median ${mib(median)} of ${within.length} samples, lowest ${mib(sorted[0])}, highest ${mib(sorted[sorted.length - 1])}`);
    within.length = 0;
  }
  const warm = samples[0];
  const end = samples[samples.length - 1];
  const pct = (a, b) => {
    const g = ((b - a) / a) * 100;
    return `${g >= 0 ? '+' : ''}${g.toFixed(1)} %`;
  };
  console.log(
    `fresh ${mib(fresh.total)}; after the first hour ${mib(warm.total)}; at the end ${mib(end.total)}: ` +
      `${pct(warm.total, end.total)} since the first hour (goal: within 10 %)`,
  );
  console.log(
    `medians within the hour: first ${mib(medians[0])}, last ${mib(medians[medians.length - 1])}, ` +
      `highest ${mib(Math.max(...medians))}: ${pct(medians[0], medians[medians.length - 1])} since the first hour (goal: within 10 %)`,
  );
} finally {
  await close();
}
