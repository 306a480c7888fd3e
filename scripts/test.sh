#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite: Rust unit and CLI tests, the UI's type
# check and component tests, and the end-to-end tests through the real app window under Xvfb.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

setup_all
install_tauri_driver
cd "$ROOT"

say "检查代码格式 (cargo fmt --check)"
cargo fmt --all -- --check

say "Rust 测试 (core and CLI)；存储测试同时在临时 PostgreSQL 服务器上运行"
. "$ROOT/scripts/pg-test-server.sh"
pg_test_start || die "无法启动临时 PostgreSQL 服务器"
trap pg_test_stop EXIT
# A test that needs the server fails without it, rather than passing without its PostgreSQL half.
export BIANMIN_REQUIRE_PG=1
cargo test --quiet -p bianmin-core -p bianmin-cli -p bianmin-server

say "桌面应用的 Rust 测试，含生成的 TypeScript 类型是否最新 (bianmin-app, ts_types)"
cargo test --quiet -p bianmin-app

say "界面类型检查与组件测试 (vue-tsc, vitest)"
npm run --silent -w ui typecheck
npm run --silent -w ui test

build_all

say "端到端测试:真实窗口 + WebDriver (end-to-end, Xvfb)"
export TAURI_DRIVER="$ROOT/.tools/bin/tauri-driver"
export BIANMIN_APP="$ROOT/target/debug/bianmin-app"
export BIANMIN_CLI="$ROOT/target/debug/bianmin"
xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' \
  node --test --test-concurrency=1 tests/e2e/
