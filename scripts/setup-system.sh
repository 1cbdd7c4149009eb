#!/usr/bin/env bash
# System packages the tests need and pip cannot bring: Debian's Chromium for the browser tests,
# a CJK font so that screenshots and PDFs show Chinese glyphs, PostgreSQL for the second test
# run, poppler's pdftoppm to render our PDFs to PNG and LibreOffice to open our workbooks.
# Idempotent and quiet: installs only what is missing.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v libreoffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "需要安装：${missing[*]}（请以 root 运行 $0，或用 sudo）" >&2
    exit 1
fi
echo "安装系统软件包：${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
