#!/usr/bin/env bash
# Failure test (loopback only, bounded): two server processes on one PostgreSQL under the
# read mix of bench/run.sh. PostgreSQL is stopped for 15 seconds in the middle (the
# servers should answer 503 meanwhile and recover by themselves), then one server gets
# SIGTERM (no request it accepted may fail). Prints what happened second by second.
#
#   sudo-less as root: bench/failure.sh [seconds, default 40] [workers, default 16]
#
# Needs the local PostgreSQL 15 cluster (pg_ctlcluster 15 main) and the right to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-40}"
WORKERS="${2:-16}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
OUT=bench/out
mkdir -p "$OUT"
cargo build --release --quiet
BIN=$PWD/target/release/harrastuspassi

psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS hp_failure WITH (FORCE)" -c "CREATE DATABASE hp_failure" >/dev/null
export DATABASE_URL="$PG_URL/hp_failure" HARRASTUSPASSI_DATA_DIR="$OUT/failure-data" RUST_LOG=warn
export HARRASTUSPASSI_JWT_SECRET=failure-test-secret HARRASTUSPASSI_SCHEDULER=false
"$BIN" demo --scale 1 --seed 1 >/dev/null

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; pg_ctlcluster 15 main start 2>/dev/null || true; }
trap cleanup EXIT
for port in 18091 18092; do
  HARRASTUSPASSI_PORT=$port "$BIN" serve 2>>"$OUT/failure-server-$port.log" & pids+=($!)
done
for port in 18091 18092; do
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/" >/dev/null && break; sleep 0.2; done
done

root=$(curl -s "http://127.0.0.1:18091/api/hobbycategories/?parent=null" | python3 -c 'import json,sys; print(next(c["id"] for c in json.load(sys.stdin) if c["name"] == "Urheilu ja liikunta"))')
cat > "$OUT/failure-paths.txt" <<PATHS
/mobile-api/v1/hobbyevents/?include=hobby_detail&include=location_detail&include=organizer_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&page_size=50
/mobile-api/v1/hobbyevents/?include=hobby_detail&include=location_detail&include=organizer_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&page_size=50&category=$root&start_weekday=2&start_weekday=4&start_time_from=15:00&max_distance=30
/mobile-api/v1/hobbyevents/?search=harjoitellaan&exclude_past_events=true&include=hobby_detail&page_size=50
/api/v1/hobbies/?page_size=500
/mobile-api/v1/hobbycategories/?include=child_categories&parent=null
/mobile-api/v1/promotions/?exclude_past_events=true&usable_only=true&include=location_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&max_distance=45
PATHS

python3 bench/failure_load.py "$DURATION" "$WORKERS" "$OUT/failure.csv" http://127.0.0.1:18091,http://127.0.0.1:18092 <"$OUT/failure-paths.txt" &
load=$!
stop_at=$((DURATION / 4)); start_at=$((stop_at + 15)); term_at=$((DURATION * 3 / 4))
sleep "$stop_at"; echo "t=${stop_at}s: stopping PostgreSQL"; pg_ctlcluster 15 main stop -m fast
sleep 15; echo "t=${start_at}s: starting PostgreSQL"; pg_ctlcluster 15 main start
sleep $((term_at - start_at)); echo "t=${term_at}s: SIGTERM to the server on 18092"; kill -TERM "${pids[1]}"
wait "${pids[1]}"; echo "server 18092 exited with status $?"
wait "$load"

python3 - "$OUT/failure.csv" "$stop_at" "$start_at" <<'PY'
import collections, sys
rows = [line.strip().split(",") for line in open(sys.argv[1])]
stop_at, start_at = float(sys.argv[2]), float(sys.argv[3])
per_second = collections.defaultdict(collections.Counter)
for t, server, outcome in rows:
    per_second[int(float(t))][outcome] += 1
print("second  outcomes")
for second in sorted(per_second):
    print(f"{second:6d}  " + "  ".join(f"{k}:{v}" for k, v in sorted(per_second[second].items())))
totals = collections.Counter(outcome for _, _, outcome in rows)
print("totals:", dict(totals))
last_bad = max((float(t) for t, _, o in rows if o not in ("200", "refused")), default=None)
if last_bad is not None:
    print(f"last non-200 answer at t={last_bad:.2f}s; PostgreSQL was started at t={start_at:.0f}s "
          f"(recovered {max(0.0, last_bad - start_at):.2f}s after)")
print("requests that connected and got no answer:", totals.get("failed", 0))
print("500 answers:", totals.get("500", 0))
PY
