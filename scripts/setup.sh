#!/usr/bin/env bash
# Installs what Bianmin needs to build, run and test on Debian 12 or Ubuntu 22.04+, skipping
# whatever is already there, so a second run takes seconds. Sourced by run.sh and test.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAURI_DRIVER_VERSION=2.1.0

# System packages: the WebKitGTK toolchain of Tauri 2, Xvfb and WebKitWebDriver for the window
# tests, ImageMagick for screenshots, and a CJK font (without one the window shows empty boxes).
# fonts-noto-cjk is also the font every printed form embeds (Noto Sans CJK SC, SIL OFL 1.1);
# poppler-utils renders the print preview and reads PDFs back in tests; cups-client sends forms
# to the printer; cups runs the throwaway scheduler of the print tests; chromium runs the hall's
# pages in their tests and the benchmark that compares HTML printing; sqlite3 lets a test edit the database by hand, as someone
# going around the audit log's triggers would; zbar-tools (zbarimg) decodes the QR codes and
# Code128 barcodes of the printed forms in the form tests, a reader that is not the code that drew
# them; strace shows a test which sync call SQLite's commits make (fdatasync); espeak-ng speaks the
# waiting-room screen's calls in Mandarin on the hall server, offline; chromium-driver drives the
# hall's kiosk, screen and pad pages in Chromium in the tests of them.
APT_PACKAGES=(
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config xvfb xauth webkit2gtk-driver
  imagemagick x11-utils xdotool fonts-noto-cjk poppler-utils cups-client cups chromium sqlite3
  postgresql zbar-tools strace espeak-ng chromium-driver
)

say() { printf '\033[1m[便民]\033[0m %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

install_system_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "系统软件包已齐全 (system packages present)"
    return
  fi
  command -v apt-get >/dev/null || die "需要 Debian 12 或 Ubuntu 22.04 以上 (apt-get not found)"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "安装系统软件包需要 root 或 sudo"
    sudo="sudo"
  fi
  say "安装系统软件包 (installing): ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

check_toolchains() {
  if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
  command -v cargo >/dev/null || die "找不到 Rust 工具链 (cargo);请先用 rustup 安装 Rust 1.85 或更新版本"
  command -v node >/dev/null || die "找不到 Node.js;请先安装 Node.js 20 或更新版本 (with npm 10+)"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js 版本过旧 ($(node -v)),需要 20 或更新版本"
}

install_node_packages() {
  # npm ci only when the lock file changed since the last install.
  if [ -f "$ROOT/node_modules/.package-lock.json" ] &&
     [ "$ROOT/node_modules/.package-lock.json" -nt "$ROOT/package-lock.json" ]; then
    say "Node 软件包已安装 (node packages present)"
  else
    say "安装 Node 软件包 (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

install_tauri_driver() {
  local bin="$ROOT/.tools/bin/tauri-driver"
  if [ -x "$bin" ] && grep -q "tauri-driver v$TAURI_DRIVER_VERSION" "$ROOT/.tools/.crates.toml" 2>/dev/null; then
    return
  fi
  say "构建 tauri-driver $TAURI_DRIVER_VERSION (WebDriver for the window tests)"
  cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked --root "$ROOT/.tools" --quiet
}

# Builds the desktop app with its UI inside (target/debug/bianmin-app) and the CLI
# (target/debug/bianmin). A plain `cargo build` of src-tauri would make a binary that looks for a
# development server instead of carrying the UI.
build_all() {
  say "构建命令行工具与桌面应用 (building)"
  (cd "$ROOT" && cargo build --quiet -p bianmin-cli)
  (cd "$ROOT" && npx tauri build --debug --no-bundle --ci >/dev/null)
}

# The app as people run it: optimised, without WebKit's developer tools (the first build takes
# 5 to 10 minutes; later ones only what changed).
build_release_app() {
  say "构建发布版桌面应用 (building the release app)"
  (cd "$ROOT" && cargo build --quiet -p bianmin-cli)
  (cd "$ROOT" && npx tauri build --no-bundle --ci >/dev/null)
}

setup_all() {
  install_system_packages
  check_toolchains
  install_node_packages
}
