// The receipt's print preview opened and closed again and again, nothing else: a quick probe of
// what one preview leaves in WebKit's web process, minutes where the day's soak (soak.mjs) takes
// an hour to show a trend. Prints the web process's PSS and its anonymous memory by kind of
// mapping ([heap]: the C allocator's break; [anon]: other anonymous mappings, JavaScriptCore's and
// WebKit's own allocators) before and every ten previews.
//
// Run after the e2e build: `xvfb-run -a node scripts/preview-probe.mjs`. BIANMIN_PROBE_PREVIEWS
// (100) sets the count. With BIANMIN_PROBE_HEAPTRACK=FILE the web process is traced by heaptrack
// from the eleventh preview to the end, and `heaptrack_print -f FILE.zst --print-leaks 1` lists
// what was allocated meanwhile and is still held, by call stack; start it with `Malloc=1` in the
// environment so that WebKit allocates through the C allocator heaptrack sees.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { callFromPage, drawnPage, outputDir, startApp } from '../tests/e2e/harness.mjs';

const previews = Number(process.env.BIANMIN_PROBE_PREVIEWS ?? 100);
const traceTo = process.env.BIANMIN_PROBE_HEAPTRACK ?? null;
const CLERK = { username: 'zc0015', name: '周金凤', roles: '窗口人员', staff: 'ZC0015' };

/** The pid of this run's web process, told from another app's by the data folder. */
function webProcess(dataHome) {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('WebKitWebProces')) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`XDG_DATA_HOME=${dataHome}`)) return pid;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  throw new Error('no web process of this run');
}

/** PSS and anonymous memory by kind of mapping, in MiB. */
function memory(pid) {
  const pss = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))[1]);
  const anon = { '[heap]': 0, '[anon]': 0, other: 0 };
  let kind = 'other';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      kind = mapping[1] === '' ? '[anon]' : mapping[1] === '[heap]' ? '[heap]' : 'other';
      continue;
    }
    const kib = /^Anonymous:\s+(\d+)/.exec(line);
    if (kib) anon[kind] += Number(kib[1]);
  }
  const mib = (kib) => Math.round(kib / 1024);
  return `PSS ${mib(pss)} MiB; anonymous: [heap] ${mib(anon['[heap]'])}, [anon] ${mib(anon['[anon]'])}, in other mappings ${mib(anon.other)} MiB`;
}

const out = outputDir('preview-probe');
const dataHome = join(out, 'xdg-data');
const { browser, close } = await startApp(out, { account: CLERK, login: CLERK.username });
let trace = null;
try {
  const made = await callFromPage(browser, 'request_new', {
    staff: CLERK.staff, item: 'MZ-001', name: '预览甲', id: '520203198503121233', phone: null, materials: null, remark: null,
  });
  if (!made.ok) throw new Error(JSON.stringify(made));
  await browser.execute((no) => window.location.assign(`#/requests/${no}`), made.ok.number);
  const print = await browser.$('[data-testid="request-print"]');
  await print.waitForDisplayed({ timeout: 10000 });
  await browser.pause(1000);
  const pid = webProcess(dataHome);
  console.log(`before: ${memory(pid)}`);
  for (let i = 1; i <= previews; i++) {
    if (i === 11 && traceTo !== null) {
      trace = spawn('heaptrack', ['-o', traceTo, '-p', pid], { stdio: 'inherit' });
      await browser.pause(8000);
    }
    await print.click();
    await browser.waitUntil(async () => (await drawnPage(browser, { ink: i === 1 }))?.width > 800, {
      timeout: 20000,
      timeoutMsg: 'the preview shows no page',
    });
    if (i === 1 && !((await drawnPage(browser)).ink > 1000)) throw new Error('the first preview drew a blank page');
    await browser.keys('Escape');
    await browser.pause(300);
    if (i % 10 === 0) console.log(`after ${i} previews: ${memory(pid)}`);
  }
  await browser.pause(5000);
  console.log(`5 s later: ${memory(pid)}`);
} finally {
  if (trace !== null) {
    trace.kill('SIGINT');
    await new Promise((done) => trace.on('exit', done));
  }
  await close();
}
