#!/usr/bin/env bash
# The web tests drive Debian's Chromium through Playwright (its own browser
# download cannot work here). Install it when it is missing and we can.
set -euo pipefail
# fonts-noto-cjk: the pages' Chinese, and the font our PDFs embed (zhaokao/render/fonts.py)
command -v chromium >/dev/null 2>&1 && [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] \
  && [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the web tests…"
  apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk fonts-wqy-microhei >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk fonts-wqy-microhei >/dev/null; }
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk fonts-wqy-microhei >/dev/null
else
  echo "Chromium is missing: install it with 'sudo apt-get install chromium fonts-noto-cjk fonts-wqy-microhei'" >&2
  echo "(or set ZHAOKAO_SKIP_WEB=1 to leave the browser tests out)" >&2
  exit 1
fi
