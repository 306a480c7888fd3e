// The app's command surface, read from the source: every command registered in lib.rs is
// declared in build.rs and granted by name in the window's capability, nothing more. Which role
// may call each is src-tauri/src/roles.rs, whose test calls every command as every role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => readFileSync(join(root, p), 'utf8');

function registered() {
  const lib = read('src-tauri/src/lib.rs');
  const start = lib.indexOf('generate_handler![');
  const handler = lib.slice(start, lib.indexOf(']', start));
  return [...handler.matchAll(/(?:commands::\w+|hall)::(\w+)/g)].map((m) => m[1]);
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
