#!/usr/bin/env bash
# gh-dose benchmark: batch throughput and peak memory on a synthetic
# 1,000,000-request JSON Lines file, and the wall time of single invocations.
# Usage: bash bench/run.sh            (N=200000 bash bench/run.sh for a quicker run)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-1000000}
SINGLE=${SINGLE:-200}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --locked --quiet
BIN=$PWD/target/release/gh-dose
DATA=$WORK/requests.jsonl

# Mixed requests: starts for every indication, products, adult and child
# titrations, weekly products, and about 2 % invalid lines.
awk -v n="$N" 'BEGIN {
  srand(7);
  split("ghd turner pws sga iss shox noonan ckd", ped, " ");
  split("norditropin humatrope genotropin omnitrope", prod, " ");
  for (i = 1; i <= n; i++) {
    r = rand(); w = sprintf("%.1f", 10 + rand() * 60); a = sprintf("%.1f", 3 + rand() * 12);
    if (r < 0.30) {
      printf "{\"command\":\"start\",\"indication\":\"%s\",\"weight_kg\":%s,\"age_years\":%s,\"as_of\":\"2026-11-22\"}\n", ped[1 + int(rand() * 8)], w, a;
    } else if (r < 0.45) {
      printf "{\"command\":\"start\",\"indication\":\"ghd\",\"weight_kg\":%s,\"age_years\":%s,\"product\":\"%s\",\"as_of\":\"2026-11-22\"}\n", w, a, prod[1 + int(rand() * 4)];
    } else if (r < 0.55) {
      printf "{\"command\":\"start\",\"indication\":\"adult-ghd\",\"age_years\":%d,\"sex\":\"female\",\"oral_estrogen\":%s,\"as_of\":\"2026-11-22\"}\n", 20 + int(rand() * 60), (rand() < 0.5 ? "true" : "false");
    } else if (r < 0.75) {
      printf "{\"command\":\"titrate\",\"indication\":\"adult-ghd\",\"age_years\":%d,\"current_mg_per_day\":%.1f,\"igf1_sds\":%.2f,\"last_dose_change\":\"2026-09-01\",\"igf1_date\":\"2026-11-20\",\"as_of\":\"2026-11-22\"}\n", 20 + int(rand() * 60), 0.1 + int(rand() * 8) / 10, rand() * 8 - 4;
    } else if (r < 0.90) {
      printf "{\"command\":\"titrate\",\"indication\":\"ghd\",\"weight_kg\":%s,\"previous_weight_kg\":%.1f,\"current_mg_per_week\":%.2f,\"igf1_sds\":%.2f,\"as_of\":\"2026-11-22\"}\n", w, w * 0.95, w * 0.2, rand() * 6 - 3;
    } else if (r < 0.98) {
      printf "{\"command\":\"start\",\"indication\":\"ghd\",\"weight_kg\":%s,\"age_years\":%s,\"product\":\"ngenla\",\"as_of\":\"2026-11-22\"}\n", w, a;
    } else {
      printf "{\"command\":\"start\",\"indication\":\"ghd\",\"weight_kg\":-%s}\n", w;
    }
  }
}' > "$DATA"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "input: $N lines, $(du -h "$DATA" | cut -f1)"

PIN=()
if command -v taskset >/dev/null; then PIN=(taskset -c 0); fi

# Growth requests: children 2.5-17 years measured, a third with an earlier
# height, a fifth with the parents' heights, Turner girls among them.
GROWTH=$WORK/growth.jsonl
awk -v n="$N" 'BEGIN {
  srand(11);
  for (i = 1; i <= n; i++) {
    sex = (rand() < 0.5 ? "female" : "male"); age = 2.5 + rand() * 14.5;
    h = 80 + age * 6 + rand() * 16 - 8; w = 10 + age * 2.5 + rand() * 8 - 3;
    extra = "";
    if (i % 3 == 0) extra = sprintf(",\"previous_height_cm\":%.1f,\"previous_height_date\":\"2026-05-01\"", h - 3);
    if (i % 5 == 0) extra = extra ",\"mother_height_cm\":162,\"father_height_cm\":176";
    if (sex == "female" && i % 7 == 0) extra = extra ",\"indication\":\"turner\"";
    printf "{\"command\":\"growth\",\"sex\":\"%s\",\"age_years\":%.2f,\"height_cm\":%.1f,\"weight_kg\":%.1f,\"as_of\":\"2026-11-22\"%s}\n", sex, age, h, w, extra;
  }
}' > "$GROWTH"

# Batch: wall time and peak RSS (one core when taskset is available). The
# output goes through a pipe to `wc` on the other core, not to disk, so the
# figure measures gh-dose rather than the file system.
batch() { # FILE LABEL
  local data=$1 label=$2 start end lines rss_kb bytes
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    lines=$({ "${PIN[@]}" /usr/bin/time -f '%M' -o "$WORK/rss" "$BIN" batch "$data" || true; } | wc -l)
    rss_kb=$(tail -n 1 "$WORK/rss")
  else
    lines=$(python3 -c 'import resource,subprocess,sys; p = subprocess.run(sys.argv[1:], capture_output=True); print(p.stdout.count(b"\n")); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)' "${PIN[@]}" "$BIN" batch "$data" 2> "$WORK/rss")
    rss_kb=$(tail -n 1 "$WORK/rss")
  fi
  end=$(date +%s.%N)
  bytes=$({ head -n 1000 "$data" | "$BIN" batch || true; } | wc -c)
  awk -v n="$N" -v s="$start" -v e="$end" -v rss="$rss_kb" -v l="$lines" -v b="$bytes" -v label="$label" 'BEGIN {
    t = e - s;
    printf "%s: %d requests in %.2f s = %.0f requests/s; peak RSS %.1f MB; %d output lines (about %.1f KB each)\n", label, n, t, n / t, rss / 1024, l, b / 1000 / 1024;
  }'
  [ "$lines" -eq "$N" ] || { echo "output has $lines lines for $N input lines" >&2; exit 1; }
}
batch "$DATA" "batch (dosing)"
batch "$GROWTH" "batch (growth)"

# Single invocations: wall time of `gh-dose start`, one process each.
start=$(date +%s%N)
for _ in $(seq "$SINGLE"); do
  "$BIN" start --indication turner --weight-kg 24 --format json --as-of 2026-11-22 > /dev/null
done
end=$(date +%s%N)
awk -v n="$SINGLE" -v s="$start" -v e="$end" 'BEGIN { printf "single: %d x gh-dose start in %.2f s = %.2f ms each\n", n, (e - s) / 1e9, (e - s) / 1e6 / n }'

# Start-up: a single `start` against `--version` (the process and nothing
# else), paired run by run so that the load of a shared machine falls on
# both alike; `EPOCHREALTIME` needs no process of its own. ROUNDS rounds of
# SINGLE pairs, each reported, then the spread of the ratio. With valgrind,
# the instructions each executes too, which do not depend on the load.
ROUNDS=${ROUNDS:-3}
ratios=()
for round in $(seq "$ROUNDS"); do
  version_us=0
  start_us=0
  for _ in $(seq "$SINGLE"); do
    t0=$EPOCHREALTIME
    "$BIN" --version > /dev/null
    t1=$EPOCHREALTIME
    "$BIN" start --indication turner --weight-kg 24 > /dev/null
    t2=$EPOCHREALTIME
    version_us=$((version_us + ${t1//[.,]/} - ${t0//[.,]/}))
    start_us=$((start_us + ${t2//[.,]/} - ${t1//[.,]/}))
  done
  ratios+=("$(awk -v v="$version_us" -v s="$start_us" 'BEGIN { printf "%.2f", s / v }')")
  awk -v r="$round" -v n="$SINGLE" -v v="$version_us" -v s="$start_us" 'BEGIN { printf "start-up: round %d, %d paired runs: --version %.2f ms, start %.2f ms each: start = %.2fx --version\n", r, n, v / n / 1000, s / n / 1000, s / v }'
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END { printf "start-up: %d rounds: start = %.2fx to %.2fx --version\n", NR, r[1], r[NR] }'
if command -v valgrind >/dev/null; then
  instructions() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$@" 2>&1 >/dev/null | awk '/Collected/ { print $NF }'; }
  v=$(instructions --version)
  s=$(instructions start --indication turner --weight-kg 24)
  awk -v v="$v" -v s="$s" 'BEGIN { printf "start-up: instructions: --version %.2f M, start %.2f M: %.1fx\n", v / 1e6, s / 1e6, s / v }'
fi

# Rule loading: a clinic rule file with as many review tables as a table may
# hold (10,000) is checked, one with 100,000 is refused (with its position);
# both grow with the file, not its square.
for reviews in 10000 100000; do
  rules=$WORK/rules-$reviews.toml
  cp data/indications.toml "$rules"
  awk -v n="$reviews" 'BEGIN { for (i = 0; i < n - 6; i++) printf "\n[[reviews]]\nid = \"clinic-%d\"\nearliest = { days = 1 }\nlatest = { days = 2 }\nwhat = [\"IGF-1\"]\nsources = [\"gh-dose-protocol\"]\ngrade = \"P\"\n", i }' >> "$rules"
  start=$(date +%s%N)
  code=0
  "$BIN" rules check "$rules" > /dev/null 2>&1 || code=$?
  end=$(date +%s%N)
  awk -v n="$reviews" -v s="$start" -v e="$end" -v c="$code" 'BEGIN { printf "rules: %d review tables: exit %d in %.2f s\n", n, c, (e - s) / 1e9 }'
done

# The CDS Hooks service: authenticated order-select card requests at 32
# concurrent keep-alive connections on loopback (bench/cds_load.py, in the
# interop harness's virtual environment). Target on 2 cores: 1,000 req/s,
# p99 under 50 ms, no error. Bounded: CDS_N requests, at most 120 s.
if tests/interop/run.sh "$BIN" > /dev/null && [ -x target/interop-venv/bin/python ]; then
  target/interop-venv/bin/python bench/cds_load.py "$BIN" "${CDS_N:-20000}" 32
else
  echo "cds: skipped (the interop virtual environment could not be made)"
fi
