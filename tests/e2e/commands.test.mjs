// The app's command surface, read from the source: every command registered in lib.rs is
// declared in build.rs and granted by name in the window's capability, nothing more; and every
// command checks the caller's role in the backend before it does anything, except the four that
// let someone log in at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => readFileSync(join(root, p), 'utf8');

const OPEN = new Set(['auth_status', 'auth_setup', 'auth_login', 'auth_logout']);

function registered() {
  const lib = read('src-tauri/src/lib.rs');
  const handler = lib.slice(lib.indexOf('generate_handler!['), lib.indexOf('])', lib.indexOf('generate_handler![')));
  return [...handler.matchAll(/commands::\w+::(\w+)/g)].map((m) => m[1]);
}

/** Each `#[tauri::command]` function's name and body, from the command modules. */
function commandBodies() {
  const dir = join(root, 'src-tauri/src/commands');
  const out = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.rs'))) {
    const src = readFileSync(join(dir, file), 'utf8');
    const parts = src.split('#[tauri::command]').slice(1);
    for (const part of parts) {
      const name = part.match(/pub (?:async )?fn (\w+)/)?.[1];
      // The body up to the next item at column 0.
      const body = part.slice(part.indexOf('{')).split(/\n(?=\S)/)[0];
      out.set(name, body);
    }
  }
  return out;
}

test('registered, declared and granted commands are the same set', () => {
  const names = registered().sort();
  const declared = [...read('src-tauri/build.rs').matchAll(/^\s+"(\w+)",$/gm)].map((m) => m[1]).sort();
  const granted = JSON.parse(read('src-tauri/capabilities/default.json'))
    .permissions.filter((p) => p.startsWith('allow-'))
    .map((p) => p.slice(6).replaceAll('-', '_'))
    .sort();
  assert.deepEqual(declared, names);
  assert.deepEqual(granted, names);
  const others = JSON.parse(read('src-tauri/capabilities/default.json')).permissions.filter((p) => !p.startsWith('allow-'));
  assert.deepEqual(others, [], 'the window is granted more than the app commands');
});

test('every command but the login ones checks the role first', () => {
  const bodies = commandBodies();
  const names = registered();
  assert.ok(names.length > 20);
  for (const name of names) {
    const body = bodies.get(name);
    assert.ok(body, `no #[tauri::command] fn ${name}`);
    if (OPEN.has(name)) {
      assert.ok(!/authorized\(/.test(body), `${name} is meant to be open`);
      continue;
    }
    // admin_or_no_database: an administrator, or nobody while no database could be opened (the
    // database setting must stay reachable from the login screen then).
    assert.match(body, /authorized\(|checked_staff\(|admin_or_no_database\(/, `${name} does not check the caller's role`);
  }
});
