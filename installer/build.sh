#!/usr/bin/env bash
# Build the one-folder bundle with the checked-in spec (Linux); the result is build/dist/liandu-desk/.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${LIANDU_VENV:-.venv}"
[ -x "$venv/bin/python" ] || bash scripts/dev.sh install
"$venv/bin/python" -m pip install --quiet "pyinstaller>=6.5"
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath build/dist --workpath build/work installer/liandu_desk.spec
echo "bundle: build/dist/liandu-desk"
