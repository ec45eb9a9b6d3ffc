#!/usr/bin/env bash
# Write benchmark: hobby create, event create with recurrency_count 10 and benefit redemption,
# each on an empty database and on `demo --scale 1`, on SQLite and on PostgreSQL, so the cost
# of a create can be compared with and without a full table. Prints requests/s, p50 and p99.
#
#   bench/writes.sh [seconds per request, default 10] [connections, default 32]
#
# Needs wrk (Debian: apt-get install wrk) and, for PostgreSQL, a server at $BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432) where it may create the database hp_bench.
DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
source "$(dirname "$0")/common.sh"

post() { curl -sf -X POST -H "Authorization: Token $TOKEN" -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

measure() { # name url
  read_wrk "$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/lua/post.lua "$BASE$2")"
  printf "%-8s %-7s %-14s %6s writes/s  p50 %6s ms  p99 %6s ms  %s\n" "$backend" "$data" "$1" "$RPS" "$P50" "$P99" "$ERRORS" | tee -a "$RESULTS"
}

RESULTS="$OUT/writes.txt"
: > "$RESULTS"
for backend in $BACKENDS; do
  for data in empty scale1; do
    fresh_database "$backend" "$backend-writes"
    if [ "$data" = scale1 ]; then "$BIN" demo --scale 1 --seed 1 >/dev/null; else "$BIN" migrate >/dev/null; fi
    [ "$backend" = postgres ] && psql "$DATABASE_URL" -qc "CHECKPOINT" >/dev/null
    "$BIN" user create --username bench --password bench-password --superuser >/dev/null
    TOKEN=$("$BIN" token create --user bench | tail -1)
    export TOKEN
    start_server

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
