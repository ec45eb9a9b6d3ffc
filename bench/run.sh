#!/usr/bin/env bash
# Read benchmark: builds release, loads `demo --scale 1` into SQLite and into PostgreSQL,
# starts the server and runs a bounded load on loopback with wrk against the requests a–f,
# printing requests/s, p50 and p99 per request and backend, and the server's peak RSS.
#
#   bench/run.sh [seconds per request, default 20] [connections, default 32]
#
# Needs wrk (Debian: apt-get install wrk) and, for PostgreSQL, a server at $BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432) where it may create the database hp_bench.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-20}"
CONNECTIONS="${2:-32}"
THREADS="${BENCH_WRK_THREADS:-2}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PORT="${BENCH_PORT:-18080}"
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

cargo build --release --quiet
BIN=target/release/harrastuspassi
BASE="http://127.0.0.1:$PORT"

server_pid=""
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=""; }
trap stop_server EXIT

peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# wrk's latency figures in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}

RESULTS="$OUT/results.txt"
: > "$RESULTS"
for backend in $BACKENDS; do
  case "$backend" in
    sqlite)
      rm -rf "$OUT/sqlite" && mkdir -p "$OUT/sqlite"
      export DATABASE_URL="sqlite:$OUT/sqlite/bench.db" ;;
    postgres)
      psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS hp_bench WITH (FORCE)" -c "CREATE DATABASE hp_bench" >/dev/null
      export DATABASE_URL="$PG_URL/hp_bench" ;;
  esac
  export HARRASTUSPASSI_DATA_DIR="$OUT/$backend-data" HARRASTUSPASSI_PORT="$PORT" RUST_LOG=warn
  echo "== $backend: loading demo --scale 1"
  "$BIN" demo --scale 1 --seed 1
  # Let PostgreSQL write out the bulk load before measuring.
  [ "$backend" = postgres ] && psql "$DATABASE_URL" -qc "CHECKPOINT" >/dev/null
  "$BIN" serve & server_pid=$!
  for _ in $(seq 50); do curl -sf "$BASE/api/" >/dev/null && break; sleep 0.2; done

  root=$(curl -s "$BASE/api/hobbycategories/?parent=null" | python3 -c 'import json,sys; print(next(c["id"] for c in json.load(sys.stdin) if c["name"] == "Urheilu ja liikunta"))')
  declare -A REQUESTS=(
    [a]="/mobile-api/v1/hobbyevents/?include=hobby_detail&include=location_detail&include=organizer_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&page_size=50"
    [b]="/mobile-api/v1/hobbyevents/?include=hobby_detail&include=location_detail&include=organizer_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&page_size=50&category=$root&start_weekday=2&start_weekday=4&start_time_from=15:00&max_distance=30"
    [c]="/mobile-api/v1/hobbyevents/?search=harjoitellaan&exclude_past_events=true&include=hobby_detail"
    [d]="/api/v1/hobbies/?page_size=500"
    [e]="/mobile-api/v1/hobbycategories/?include=child_categories&parent=null"
    [f]="/mobile-api/v1/promotions/?exclude_past_events=true&usable_only=true&include=location_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&max_distance=45"
  )
  for key in a b c d e f; do
    url="$BASE${REQUESTS[$key]}"
    status=$(curl -s -o "$OUT/$backend-$key.json" -w '%{http_code}' "$url")
    size=$(stat -c %s "$OUT/$backend-$key.json")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$url" >/dev/null  # warm-up, not measured
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url")
    rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
    line=$(printf "%-8s %s  status=%s  bytes=%-7s  %6s req/s  p50 %6s ms  p99 %6s ms  %s" "$backend" "$key" "$status" "$size" "$rps" "$p50" "$p99" "$errors")
    echo "$line" | tee -a "$RESULTS"
  done
  echo "$backend peak RSS: $(peak_rss_mb "$server_pid") MB" | tee -a "$RESULTS"
  stop_server
done
echo "== results in $RESULTS"
