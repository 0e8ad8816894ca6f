#!/usr/bin/env bash
# Measures strata against DuckDB and jq on the same generated log set.
#
#   benches/run.sh                 # 1 GiB set in bench-out/logset-1g, 3 warm runs each
#   SIZE=64MiB SET=bench-out/logset-64m RUNS=3 benches/run.sh
#
# strata scans every strand and runs all rules; DuckDB and jq only count invocation-log
# records per identity.arn, the cheapest useful question over the largest strand, so
# their times are a floor for "read every invocation record once".
# Each tool gets one untimed warm-up run (page cache), then RUNS timed runs; the table
# reports min and median wall time, peak RSS, and the ratio to strata's median.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
OUT=bench-out
SIZE=${SIZE:-1GiB}
SET=${SET:-$OUT/logset-1g}
RUNS=${RUNS:-3}
STRATA=${STRATA:-target/release/strata}
GEN=target/release/examples/gen-logset
mkdir -p "$OUT"
LOGS=$(mktemp -d "$OUT/run.XXXXXX")
trap 'rm -rf "$LOGS"' EXIT

say() { printf '%s\n' "$*" >&2; }

say "== build (release)"
cargo build --release || exit 1
cargo build --release --example gen-logset || exit 1

if [ ! -d "$SET/bedrock-invocation-logs" ]; then
    say "== generating $SIZE log set in $SET"
    "$GEN" bench --size "$SIZE" "$SET" || exit 1
fi

if [ ! -x /usr/bin/time ]; then
    say "== installing GNU time"
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    else
        sudo apt-get install -y time >/dev/null
    fi
fi
[ -x /usr/bin/time ] || { say "GNU time is required (/usr/bin/time)"; exit 1; }

PY="$OUT/venv/bin/python"
if ! "$PY" -c 'import duckdb' 2>/dev/null; then
    say "== installing duckdb into $OUT/venv"
    python3 -m venv "$OUT/venv" && "$PY" -m pip install -q duckdb || say "duckdb unavailable; skipping it"
fi
command -v jq >/dev/null || say "jq not found; skipping it"

INV_GLOB="$SET/bedrock-invocation-logs/**/*.json.gz"
set_size=$(du -sh "$SET" | cut -f1)
inv_files=$(find "$SET/bedrock-invocation-logs" -name '*.json.gz' | wc -l)
all_files=$(find "$SET" -name '*.gz' | wc -l)

# run NAME CMD... : one warm-up, then RUNS timed runs. Appends "wall rss_kb" lines to
# $LOGS/NAME.times and keeps each run's stderr in $LOGS/NAME.err.N.
run() {
    local name=$1; shift
    say "== $name: $*"
    "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err.0"
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        say "   failed (exit $rc):"
        tail -n 5 "$LOGS/$name.err.0" >&2
        return 1
    fi
    : >"$LOGS/$name.times"
    for i in $(seq 1 "$RUNS"); do
        if ! /usr/bin/time -f '%e %M' -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err.$i"; then
            say "   run $i failed"
            return 1
        fi
        cat "$LOGS/$name.time" >>"$LOGS/$name.times"
        say "   run $i: $(cat "$LOGS/$name.time" | awk '{printf "%ss, %.0f MiB", $1, $2/1024}')"
    done
}

# Older strata builds may lack some flags: fall back to the plainest scan.
run strata "$STRATA" scan --format json --output /dev/null --timings "$SET" ||
    run strata "$STRATA" scan "$SET" ||
    say "   strata skipped"
if [ -x "$PY" ] && "$PY" -c 'import duckdb' 2>/dev/null; then
    run duckdb "$PY" -c "
import duckdb
con = duckdb.connect()
con.execute('SET enable_progress_bar = false')
rows = con.sql('''
    SELECT identity.arn AS arn, count(*) AS n
    FROM read_json('$INV_GLOB', format = 'newline_delimited', compression = 'gzip',
                   columns = {'identity': 'STRUCT(arn VARCHAR)'})
    GROUP BY 1 ORDER BY 2 DESC''').fetchall()
print(len(rows), sum(n for _, n in rows))
"
fi
if command -v jq >/dev/null; then
    run jq bash -c "find '$SET/bedrock-invocation-logs' -name '*.json.gz' -print0 | xargs -0 zcat \
        | jq -n -r 'reduce inputs as \$r ({}; .[\$r.identity.arn] += 1) | [length, add] | @tsv'"
fi

# ---- report
python3 - "$LOGS" "$RUNS" <<'EOF'
import json, os, statistics, sys
logs, runs = sys.argv[1], int(sys.argv[2])

def times(name):
    p = os.path.join(logs, name + ".times")
    if not os.path.exists(p):
        return None
    rows = [line.split() for line in open(p) if line.strip()]
    return [float(w) for w, _ in rows], [int(r) / 1024 for _, r in rows]

def strata_timings():
    keys = ("first_events_ms", "load_ms", "detect_ms", "events")
    found = []
    for i in range(1, runs + 1):
        p = os.path.join(logs, f"strata.err.{i}")
        if not os.path.exists(p):
            continue
        for line in open(p, errors="replace"):
            line = line.strip()
            if line.startswith("{"):
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                if any(k in d for k in keys):
                    found.append(d)
    return found

res = {n: times(n) for n in ("strata", "duckdb", "jq")}
base = statistics.median(res["strata"][0]) if res["strata"] else None
tasks = {
    "strata": "scan all strands, all rules",
    "duckdb": "read_json invocation logs, count per identity.arn",
    "jq": "zcat + jq reduce, count per identity.arn",
}
print()
print("| Tool | Task | Runs | Min wall (s) | Median wall (s) | Peak RSS (MiB) | Median ÷ strata median |")
print("|---|---|---:|---:|---:|---:|---:|")
for name, r in res.items():
    if not r:
        print(f"| {name} | {tasks[name]} | 0 | n/a | n/a | n/a | n/a |")
        continue
    wall, rss = r
    med = statistics.median(wall)
    ratio = f"{med / base:.2f}x" if base else "n/a"
    print(f"| {name} | {tasks[name]} | {len(wall)} | {min(wall):.2f} | {med:.2f} | {max(rss):.0f} | {ratio} |")
t = strata_timings()
if t:
    print()
    print("strata --timings (median of runs):")
    print()
    print("| first_events_ms | load_ms | detect_ms | events |")
    print("|---:|---:|---:|---:|")
    def med(k):
        vals = [d[k] for d in t if isinstance(d.get(k), (int, float))]
        return f"{statistics.median(vals):g}" if vals else "n/a"
    print(f"| {med('first_events_ms')} | {med('load_ms')} | {med('detect_ms')} | {med('events')} |")
else:
    print()
    print("strata printed no --timings line.")
for name in ("duckdb", "jq"):
    p = os.path.join(logs, name + ".out")
    if res[name] and os.path.exists(p):
        last = open(p).read().strip().splitlines()[-1:] or ["?"]
        print(f"{name} result (principals, records): {last[0].split()}")
EOF
echo
echo "Set: $SET ($set_size on disk, $all_files gzip files, $inv_files of them invocation logs)"
