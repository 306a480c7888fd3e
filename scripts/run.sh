#!/usr/bin/env bash
# Installs what is missing, builds, loads the demo towns into the app's own database and starts
# the desktop app as people run it (the release build, without WebKit's developer tools). Safe
# to run again: it skips what is already there, and builds only what changed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

setup_all
say "构建命令行工具 (building the command-line tool)"
(cd "$ROOT" && cargo build --quiet -p bianmin-cli)

# The app's own database, in its data folder (BIANMIN_DB overrides it, for both CLI and app).
"$ROOT/target/debug/bianmin" init --demo

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  say "本机没有图形显示（DISPLAY 未设置），无法打开窗口；桌面应用请在有图形显示的电脑上运行本命令构建和启动。"
  say "This machine has no display (DISPLAY is not set), so no window can open; run this on a desktop to build and start the app."
  say "命令行工具可直接使用：$ROOT/target/debug/bianmin staffing"
  exit 0
fi
build_release_app
say "启动便民 (starting Bianmin)：用演示账号登录，如镇领导 lingdao、窗口人员 chuangkou，密码 Bianmin@2026"
exec "$ROOT/target/release/bianmin-app"
