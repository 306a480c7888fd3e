#!/usr/bin/env bash
# Measures how long the desktop app takes to start: from launching the release binary to its
# login screen painted (the window reports its first paint; see src-tauri/src/commands/startup.rs),
# on a demo database in a data folder of its own. Runs BIANMIN_START_RUNS times (default 7) and
# prints each run and min / median / max in milliseconds. The first run follows a fresh build
# and a dropped page cache where the machine allows it (cold); the others are warm.
# Without a display it runs itself under Xvfb. Builds what is missing first.
# BIANMIN_START_BUILD=debug measures the debug build instead (what the tests drive), to compare.
set -euo pipefail
if [ -z "${DISPLAY:-}" ] && [ -z "${BIANMIN_MEASURE_UNDER_XVFB:-}" ]; then
  export BIANMIN_MEASURE_UNDER_XVFB=1
  exec xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' bash "$0" "$@"
fi
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

runs=${BIANMIN_START_RUNS:-7}
build=${BIANMIN_START_BUILD:-release}
case "$build" in
  release) build_release_app ;;
  debug) build_all ;;
  *) echo "BIANMIN_START_BUILD 应为 release 或 debug，而不是“$build”" >&2; exit 2 ;;
esac
app="$ROOT/target/$build/bianmin-app"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/xdg-data"
unset BIANMIN_DB
"$ROOT/target/debug/bianmin" init --demo >/dev/null 2>&1

# Drops the page cache when this user may (root on a Linux PC); says whether it did.
drop_caches() {
  sync
  if [ -w /proc/sys/vm/drop_caches ] && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
    echo cold
  else
    echo warm
  fi
}

once() {
  local t0 out at
  t0=$(date +%s%3N)
  out=$(BIANMIN_STARTUP_PROBE=exit timeout 60 "$app" 2>&1 >/dev/null || true)
  at=$(grep -o 'bianmin-painted-at-ms=[0-9]*' <<<"$out" | head -1 | cut -d= -f2)
  if [ -z "$at" ]; then
    echo "没有得到绘制时间 (the app reported no paint):" >&2
    echo "$out" | tail -5 >&2
    exit 1
  fi
  echo $((at - t0))
}

times=()
for i in $(seq 1 "$runs"); do
  kind=warm
  if [ "$i" = 1 ]; then kind=$(drop_caches); fi
  ms=$(once)
  times+=("$ms")
  printf '启动 %d（%s）：%d ms\n' "$i" "$kind" "$ms"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
min=$(head -1 <<<"$sorted")
max=$(tail -1 <<<"$sorted")
median=$(sed -n "$(((runs + 1) / 2))p" <<<"$sorted")
printf '从启动到登录界面绘制完成：最短 %d ms，中位 %d ms，最长 %d ms（%d 次，%s 版）\n' \
  "$min" "$median" "$max" "$runs" "$build"
