#!/usr/bin/env bash
# Renders the example charts of the README in a real browser engine (headless
# Chromium) and checks that each drew a chart. Needs Chromium (Debian:
# `apt-get install chromium`) and Python 3. Writes docs/img/{growth,titration}.{svg,png}
# (or into the directory given as $1).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-docs/img}
mkdir -p "$out"
# GH_DOSE=target/debug/gh-dose uses a build at hand instead of a release build.
gh=${GH_DOSE:-target/release/gh-dose}
[ -n "${GH_DOSE:-}" ] || cargo build --release --locked -q
# The example course runs into 2028: its visits are not after "today".
export GH_DOSE_TODAY=2028-12-31
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rec=$tmp/p-0042.jsonl
visit() { "$gh" "$@" --record "$rec" --format json > /dev/null; }
# A girl with Turner syndrome: a start, a reduction for IGF-1 +2.6, then growth.
visit start --indication turner --sex female --birth-date 2018-03-01 --weight-kg 24 \
    --height-cm 118 --product norditropin --as-of 2026-01-10
visit titrate --weight-kg 26 --height-cm 122 --igf1-sds 2.6 --as-of 2026-07-10
visit titrate --weight-kg 27 --height-cm 125.5 --igf1-sds 1.0 --as-of 2027-01-10
visit titrate --weight-kg 29 --height-cm 128.5 --igf1-sds 0.8 --as-of 2027-07-10
visit titrate --weight-kg 31 --height-cm 131.5 --igf1-sds 1.2 --as-of 2028-01-10
"$gh" chart growth "$rec" -o "$out/growth.svg" --father-height-cm 178 --mother-height-cm 163 --label P-0042
"$gh" chart titration "$rec" -o "$out/titration.svg" --label P-0042
chromium=${CHROMIUM:-chromium}
for chart in growth:900,732 titration:900,590; do
    name=${chart%%:*}
    size=${chart#*:}
    profile=$(mktemp -d -p "$tmp")
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" --window-size="$size" \
        --screenshot="$out/$name.png" "file://$PWD/$out/$name.svg" 2> "$tmp/$name.log"
    python3 docs/charts/check_png.py "$out/$name.png" "${size%,*}" "${size#*,}"
done
