#!/usr/bin/env bash
# Renders `gh-dose record summary` in headless Chromium (the distribution's
# package) to PDF on Letter and on A4 paper and checks that each is one page
# holding the text of the last decision (pdftotext). Skips, with a message and
# exit 0, when Chromium or poppler-utils is absent (Debian:
# `apt-get install -y chromium poppler-utils`).
#
#   tests/render/visit_summary.sh [PNG]   # PNG: also write the Letter page at 60 dpi
#
# GH_DOSE=path/to/gh-dose uses that binary; otherwise a debug build is made.
set -euo pipefail
cd "$(dirname "$0")/../.."
chromium=${CHROMIUM:-chromium}
for tool in "$chromium" pdfinfo pdftotext pdftoppm python3; do
    if ! command -v "$tool" > /dev/null 2>&1; then
        echo "SKIP: $tool is not installed (apt-get install -y chromium poppler-utils)"
        exit 0
    fi
done
png=${1:-}
if [ -z "${GH_DOSE:-}" ]; then
    cargo build --locked -q
    GH_DOSE=target/debug/gh-dose
fi
gh=$(realpath "$GH_DOSE")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The example course runs into 2028: its visits are not after "today".
export GH_DOSE_TODAY=2028-12-31
rec=$tmp/p-0042.jsonl
visit() { "$gh" "$@" --record "$rec" --format json > /dev/null; }
# The README's girl with Turner syndrome: a start, a reduction for IGF-1 +2.6, then growth.
visit start --indication turner --sex female --birth-date 2018-03-01 --weight-kg 24 \
    --height-cm 118 --product norditropin --as-of 2026-01-10
visit titrate --weight-kg 26 --height-cm 122 --igf1-sds 2.6 --as-of 2026-07-10
visit titrate --weight-kg 27 --height-cm 125.5 --igf1-sds 1.0 --as-of 2027-01-10
visit titrate --weight-kg 29 --height-cm 128.5 --igf1-sds 0.8 --as-of 2027-07-10
visit titrate --weight-kg 31 --height-cm 131.5 --igf1-sds 1.2 --as-of 2028-01-10
(cd "$tmp" && "$gh" record summary p-0042.jsonl -o visit.html --label P-0042 \
    --father-height-cm 178 --mother-height-cm 163)
# What the page must say: the last line's decision and rule set.
mapfile -t want < <(python3 - "$rec" <<'PY'
import json, sys
last = json.loads(open(sys.argv[1]).read().splitlines()[-1])
d = last["decision"]
print(f"Last decision ({last['date']}, {last['command']})")
print(d["action"].upper())
print(f"{last['dose']['mg_per_week']:g} mg/week")
r = d["next_review"]
print(f"{r['earliest']} to {r['latest']}")
for flag in d["flags"]:
    print(flag)
print(last["rules"]["sha256"])
PY
)
fail=0
for paper in letter A4; do
    html=$tmp/visit-$paper.html
    sed "s/size: auto;/size: $paper;/" "$tmp/visit.html" > "$html"
    pdf=$tmp/visit-$paper.pdf
    profile=$(mktemp -d -p "$tmp")
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-pdf-header-footer --user-data-dir="$profile" --print-to-pdf="$pdf" \
        "file://$html" 2> "$tmp/chromium-$paper.log"
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    size=$(pdfinfo "$pdf" | sed -n 's/^Page size: *//p')
    # The sha256 may break across lines: compare the text without white space.
    text=$(pdftotext -layout "$pdf" - | tr -d ' \n')
    missing=()
    for w in "${want[@]}"; do
        [[ "$text" == *"${w// /}"* ]] || missing+=("$w")
    done
    if [ "$pages" = 1 ] && [ ${#missing[@]} = 0 ]; then
        echo "ok: $paper ($size): $pages page, the decision's ${#want[@]} texts found"
    else
        echo "FAIL: $paper ($size): $pages pages; missing: ${missing[*]:-none}"
        fail=1
    fi
    if [ -n "$png" ] && [ "$paper" = letter ]; then
        pdftoppm -png -r 60 -singlefile "$pdf" "${png%.png}"
        echo "wrote $png"
    fi
done
exit $fail
