#!/usr/bin/env bash
# Installs what is missing, builds, loads the demo towns into the app's own database and starts
# the desktop app. Safe to run again: it skips what is already there.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

setup_all
build_all

# The app's own database, in its data folder (BIANMIN_DB overrides it, for both CLI and app).
"$ROOT/target/debug/bianmin" init --demo

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  say "已构建完成，但本机没有图形显示（DISPLAY 未设置），无法打开窗口。"
  say "Built, but this machine has no display (DISPLAY is not set), so no window can open."
  say "请在桌面环境中再运行本命令；命令行工具可直接使用：$ROOT/target/debug/bianmin staffing"
  exit 0
fi
say "启动便民 (starting Bianmin)：用演示账号登录，如镇领导 lingdao、窗口人员 chuangkou，密码 Bianmin@2026"
exec "$ROOT/target/debug/bianmin-app"
