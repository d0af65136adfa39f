#!/usr/bin/env bash
# Installs what haizhi needs on Debian 12, skipping what is already there.
# System: Tesseract (chi_sim), LibreOffice headless + UNO, poppler, free CJK fonts,
# chromium (the review web app's browser tests drive it through Playwright).
# Python: a virtual environment in .venv (built on Debian's python3 so that
# LibreOffice's `uno` module is importable for the warm converter).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-uno
  libreoffice-writer-nogui libreoffice-calc-nogui
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng
  poppler-utils
  fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai fonts-wqy-zenhei
  fonts-liberation2  # Times New Roman / Arial runs: LibreOffice's metric-compatible latin faces
  fontconfig
  postgresql
  chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[setup] 安装系统软件包: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
else
  echo "[setup] 系统软件包已齐全"
fi

PY=/usr/bin/python3
if [ ! -x .venv/bin/python ]; then
  echo "[setup] 创建虚拟环境 .venv"
  "$PY" -m venv --system-site-packages .venv
fi
stamp=.venv/.haizhi-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "[setup] 安装 Python 依赖"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
else
  echo "[setup] Python 依赖已安装"
fi
