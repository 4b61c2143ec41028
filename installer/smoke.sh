#!/usr/bin/env bash
# Run the frozen bundle as a clerk would, proving no resource is missing when frozen:
# --version, init, demo, a screenshot of the real window, one PDF export, and the integrity check.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle="build/dist/liandu-desk"
cli="$bundle/liandu-desk-cli"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export LIANDU_DESK_HOME="$work/home" QT_QPA_PLATFORM=offscreen
db="$work/smoke.sqlite3"

"$cli" --version
"$cli" init --db "$db"
"$cli" demo --db "$db" --scale 0.05 2>/dev/null
"$bundle/liandu-desk" gui --db "$db" --screenshot "$work/shot.png" --tab 危房
test -s "$work/shot.png"
"$cli" stats --db "$db" --from 2021-01-01 --to 2021-06-30 --json > "$work/stats.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['period']['from']=='2021-01-01', d" "$work/stats.json"
"$cli" report summary --db "$db" --from 2021-01-01 --to 2021-06-30 --out "$work/summary.pdf"
head -c 5 "$work/summary.pdf" | grep -q "%PDF-"
"$cli" check --db "$db"
echo "frozen smoke test passed"
