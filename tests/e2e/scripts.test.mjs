// The README's first command on a machine without a display: scripts/run.sh still builds, loads
// the demo into the app's database and says plainly that no window can open, instead of failing
// or starting an app that cannot show. Run twice: the second run finds everything present and
// loads the demo again without doubling it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.BIANMIN_CLI ?? join(root, 'target/debug/bianmin');

function runWithoutDisplay(db) {
  const env = { ...process.env, BIANMIN_DB: db };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const r = spawnSync('bash', [join(root, 'scripts/run.sh')], { env, encoding: 'utf8', timeout: 15 * 60_000 });
  assert.equal(r.error, undefined, String(r.error));
  return r;
}

function json(db, ...args) {
  const r = spawnSync(cli, ['--db', db, ...args, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('run.sh without a display builds, loads the demo, says no window can open, and can run again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bianmin-run-'));
  const db = join(dir, 'bianmin.db');
  try {
    const first = runWithoutDisplay(db);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /本机没有图形显示（DISPLAY 未设置），无法打开窗口/);
    assert.match(first.stderr, /no window can open/);
    const towns = json(db, 'staffing').towns.map((t) => t.name);
    assert.deepEqual(towns, ['朱昌镇', '东风镇', '金华镇']);
    const staff = json(db, 'staff', 'list').length;
    assert.ok(staff > 100, `the demo loaded ${staff} staff`);
    const accounts = json(db, 'account', 'list').map((a) => a.username).sort();
    assert.deepEqual(accounts, ['chuangkou', 'guanli', 'lingdao', 'shenpi', 'xianji']);
    // The four weeks of requests before today, so that the leader's demand panel has numbers.
    const requests = () => Number(spawnSync('sqlite3', [db, 'SELECT count(*) FROM request'], { encoding: 'utf8' }).stdout.trim());
    const before = requests();
    assert.ok(before > 0, 'the demo brought no requests');
    const demand = json(db, 'counters', '--town', '东风镇');
    assert.ok(demand.totals.some((h) => h.arrivals_per_hour > 0), JSON.stringify(demand.totals));

    const second = runWithoutDisplay(db);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /系统软件包已齐全/);
    assert.match(second.stderr, /Node 软件包已安装/);
    assert.match(second.stderr, /无法打开窗口/);
    assert.deepEqual(json(db, 'staffing').towns.map((t) => t.name), towns);
    assert.equal(json(db, 'staff', 'list').length, staff, 'the second run loaded the demo twice');
    assert.deepEqual(json(db, 'account', 'list').map((a) => a.username).sort(), accounts);
    assert.equal(requests(), before, 'the second run added requests');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
