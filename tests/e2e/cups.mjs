// A throwaway CUPS scheduler for the print tests: its own configuration, spool and logs in a
// temporary folder, listening on a free port of 127.0.0.1, with one queue `bianmin-test` whose
// device is an AppSocket (JetDirect) "printer" run by this process. CUPS's own `socket` backend
// delivers each job there, so the test receives the exact bytes a real printer would: nothing
// in the path from the app's `lp` to the printer is faked. Only the app's environment points at
// it (CUPS_SERVER); the machine's own CUPS, if any, is left alone.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort, screenshot, startApp } from './harness.mjs';

const CUPSD = ['/usr/sbin/cupsd', '/usr/bin/cupsd'].find((p) => existsSync(p));

function listen(server) {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server.address().port));
  });
}


/**
 * Starts the scheduler and the printer. Returns {server, printer, jobs, waitForJobs, stop}:
 * `server` is the CUPS_SERVER value, `jobs` the byte buffers the printer received so far.
 * Throws, saying why, when cupsd is not installed (scripts/setup.sh installs `cups`).
 */
export async function startCups() {
  if (!CUPSD) throw new Error('cupsd not found: install the Debian package cups (scripts/setup.sh does)');
  const dir = mkdtempSync(join(tmpdir(), 'bianmin-cups-'));
  const jobs = [];
  const printer = createServer((sock) => {
    const chunks = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => jobs.push(Buffer.concat(chunks)));
    sock.on('error', () => {});
  });
  let cupsd = null;
  const stop = async () => {
    if (cupsd && cupsd.exitCode === null) {
      const exited = new Promise((r) => cupsd.once('exit', r));
      cupsd.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (cupsd.exitCode === null) cupsd.kill('SIGKILL');
    }
    await new Promise((r) => printer.close(r));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const printerPort = await listen(printer);
    const port = await freePort();
    for (const d of ['spool', 'cache', 'state', 'log', 'tmp']) mkdirSync(join(dir, d));
    writeFileSync(
      join(dir, 'cupsd.conf'),
      [
        `Listen 127.0.0.1:${port}`,
        'LogLevel warn',
        'WebInterface No',
        'Browsing No',
        'DefaultAuthType None',
        '<Location />',
        '  Order allow,deny',
        '  Allow all',
        '</Location>',
        '<Location /admin>',
        '  Order allow,deny',
        '  Allow all',
        '</Location>',
        '<Policy default>',
        '  <Limit All>',
        '    Order deny,allow',
        '  </Limit>',
        '</Policy>',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'cups-files.conf'),
      [
        `ServerRoot ${dir}`,
        `RequestRoot ${dir}/spool`,
        `CacheDir ${dir}/cache`,
        `StateDir ${dir}/state`,
        `TempDir ${dir}/tmp`,
        `ErrorLog ${dir}/log/error_log`,
        `AccessLog ${dir}/log/access_log`,
        `PageLog ${dir}/log/page_log`,
        'DataDir /usr/share/cups',
        'ServerBin /usr/lib/cups',
        'SystemGroup root',
        '',
      ].join('\n'),
    );
    cupsd = spawn(CUPSD, ['-f', '-c', join(dir, 'cupsd.conf'), '-s', join(dir, 'cups-files.conf')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const deadline = Date.now() + 15000;
    while (!(await canConnect(port))) {
      if (cupsd.exitCode !== null) throw new Error(`cupsd exited with ${cupsd.exitCode}`);
      if (Date.now() > deadline) throw new Error(`cupsd did not listen on ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const server = `127.0.0.1:${port}`;
    const env = { ...process.env, CUPS_SERVER: server, LC_ALL: 'C' };
    // A raw queue: the PDF goes to the printer as it is (CUPS 2.4 warns that raw queues are
    // deprecated; they still work, and a PPD would need filters the test does not care about).
    execFileSync(
      'lpadmin',
      ['-p', 'bianmin-test', '-E', '-v', `socket://127.0.0.1:${printerPort}`, '-m', 'raw'],
      { env, stdio: ['ignore', 'ignore', 'ignore'] },
    );
    execFileSync('lpadmin', ['-d', 'bianmin-test'], { env, stdio: 'ignore' });
    const waitForJobs = async (n, ms = 20000) => {
      const until = Date.now() + ms;
      while (jobs.length < n) {
        if (Date.now() > until) throw new Error(`the printer received ${jobs.length} of ${n} jobs`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return jobs;
    };
    return { server, printer: 'bianmin-test', dir, jobs, waitForJobs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Runs `body(browser, cups)` against the app with `account` (an account of the test's own,
 * {username, name, roles, staff}) logged in and its printing pointed at a throwaway scheduler.
 * A failure leaves `failure.png` in `out`; the app and the scheduler are stopped however it ends.
 */
export async function withPrintingApp(out, account, body) {
  const cups = await startCups();
  try {
    const { browser, close } = await startApp(out, {
      env: { CUPS_SERVER: cups.server },
      account,
      login: account.username,
    });
    try {
      await body(browser, cups);
    } catch (e) {
      await screenshot(join(out, 'failure.png')).catch(() => {});
      throw e;
    } finally {
      await close();
    }
  } finally {
    await cups.stop();
  }
}
