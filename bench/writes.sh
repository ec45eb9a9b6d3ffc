#!/usr/bin/env bash
# Write benchmark: hobby create, event create with recurrency_count 10 and benefit redemption,
# each on an empty database and on `demo --scale 1`, on SQLite and on PostgreSQL, so the cost
# of a create can be compared with and without a full table. Prints requests/s, p50 and p99.
#
#   bench/writes.sh [seconds per request, default 10] [connections, default 32]
#
# Needs wrk (Debian: apt-get install wrk) and, for PostgreSQL, a server at $BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432) where it may create the database hp_bench.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
THREADS="${BENCH_WRK_THREADS:-2}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PORT="${BENCH_PORT:-18080}"
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

cargo build --release --quiet
BIN=$PWD/target/release/harrastuspassi
BASE="http://127.0.0.1:$PORT"

server_pid=""
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=""; }
trap stop_server EXIT

to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}
post() { curl -sf -X POST -H "Authorization: Token $TOKEN" -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

measure() { # name url
  local out rps p50 p99 errors
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/lua/post.lua "$BASE$2")
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  printf "%-8s %-7s %-14s %6s writes/s  p50 %6s ms  p99 %6s ms  %s\n" "$backend" "$data" "$1" "$rps" "$p50" "$p99" "$errors" | tee -a "$RESULTS"
}

RESULTS="$OUT/writes.txt"
: > "$RESULTS"
for backend in $BACKENDS; do
  for data in empty scale1; do
    case "$backend" in
      sqlite)
        rm -rf "$OUT/sqlite-w" && mkdir -p "$OUT/sqlite-w"
        export DATABASE_URL="sqlite:$OUT/sqlite-w/bench.db" ;;
      postgres)
        psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS hp_bench WITH (FORCE)" -c "CREATE DATABASE hp_bench" >/dev/null
        export DATABASE_URL="$PG_URL/hp_bench" ;;
    esac
    export HARRASTUSPASSI_DATA_DIR="$OUT/$backend-w-data" HARRASTUSPASSI_PORT="$PORT" RUST_LOG=warn
    rm -rf "$HARRASTUSPASSI_DATA_DIR"
    if [ "$data" = scale1 ]; then "$BIN" demo --scale 1 --seed 1 >/dev/null; else "$BIN" migrate >/dev/null; fi
    [ "$backend" = postgres ] && psql "$DATABASE_URL" -qc "CHECKPOINT" >/dev/null
    "$BIN" user create --username bench --password bench-password --superuser >/dev/null
    TOKEN=$("$BIN" token create --user bench | tail -1)
    export TOKEN
    "$BIN" serve & server_pid=$!
    for _ in $(seq 50); do curl -sf "$BASE/api/" >/dev/null && break; sleep 0.2; done

    ORGANIZER=$(post /api/v1/organizers/ '{"name":"Penkkiseura"}' | id_of)
    LOCATION=$(post /api/v1/locations/ '{"name":"Penkkihalli","city":"Helsinki","coordinates":{"type":"Point","coordinates":[24.94,60.17]}}' | id_of)
    PROMOTION=$(post /api/v1/promotions/ "{\"name\":\"Penkkietu\",\"description\":\"x\",\"start_date\":\"2020-01-01\",\"start_time\":\"00:00\",\"end_date\":\"2040-01-01\",\"end_time\":\"00:00\",\"organizer\":$ORGANIZER,\"location\":$LOCATION,\"available_count\":2000000000}" | id_of)
    export ORGANIZER LOCATION PROMOTION
    WRITE=hobby measure "hobby create" /api/v1/hobbies/
    # Events go to 500 of the hobbies just created (a create cut off when wrk stops leaves
    # a gap in the ids, so they are listed rather than assumed).
    HOBBY_IDS=$(curl -sf "$BASE/api/v1/hobbies/?search=Penkkiharrastus&page_size=500" |
      python3 -c 'import json,sys; print(",".join(str(h["id"]) for h in json.load(sys.stdin)["results"]))')
    export HOBBY_IDS
    WRITE=event measure "event create×11" /api/v1/hobbyevents/
    WRITE=benefit measure "redemption" /api/v1/benefits/
    stop_server
  done
done
echo "== results in $RESULTS"
