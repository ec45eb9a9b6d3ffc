#!/usr/bin/env bash
# Read benchmark: builds release, loads `demo --scale 1` into SQLite and into PostgreSQL,
# starts the server and runs a bounded load on loopback with wrk against the requests a–f,
# printing requests/s, p50 and p99 per request and backend, and the server's peak RSS.
#
#   bench/run.sh [seconds per request, default 20] [connections, default 32]
#   BENCH_REQUESTS="c d" runs only those requests.
#   BENCH_MODES (default "cached"): any of
#     cached      the same request again and again (the response cache on, as deployed);
#     uncached    the cache off and each request with a query string of its own;
#     revalidate  the same request with the If-None-Match of its answer (304s).
#
# Needs wrk (Debian: apt-get install wrk) and, for PostgreSQL, a server at $BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432) where it may create the database hp_bench.
DURATION="${1:-20}"
CONNECTIONS="${2:-32}"
source "$(dirname "$0")/common.sh"

peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

RESULTS="$OUT/results.txt"
: > "$RESULTS"
for backend in $BACKENDS; do
  fresh_database "$backend" "$backend"
  echo "== $backend: loading demo --scale 1"
  "$BIN" demo --scale 1 --seed 1
  # Let PostgreSQL write out the bulk load before measuring.
  [ "$backend" = postgres ] && psql "$DATABASE_URL" -qc "CHECKPOINT" >/dev/null
  start_server

  root=$(curl -s "$BASE/api/hobbycategories/?parent=null" | python3 -c 'import json,sys; print(next(c["id"] for c in json.load(sys.stdin) if c["name"] == "Urheilu ja liikunta"))')
  declare -A REQUESTS=(
    [a]="/mobile-api/v1/hobbyevents/?include=hobby_detail&include=location_detail&include=organizer_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&page_size=50"
    [b]="/mobile-api/v1/hobbyevents/?include=hobby_detail&include=location_detail&include=organizer_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&page_size=50&category=$root&start_weekday=2&start_weekday=4&start_time_from=15:00&max_distance=30"
    [c]="/mobile-api/v1/hobbyevents/?search=harjoitellaan&exclude_past_events=true&include=hobby_detail"
    [d]="/api/v1/hobbies/?page_size=500"
    [e]="/mobile-api/v1/hobbycategories/?include=child_categories&parent=null"
    [f]="/mobile-api/v1/promotions/?exclude_past_events=true&usable_only=true&include=location_detail&ordering=nearest&near_latitude=60.17&near_longitude=24.94&max_distance=45"
  )
  for mode in ${BENCH_MODES:-cached}; do
    if [ "$mode" = uncached ]; then
      stop_server
      HARRASTUSPASSI_RESPONSE_CACHE_BYTES=0 start_server
    fi
    for key in ${BENCH_REQUESTS:-a b c d e f}; do
      url="$BASE${REQUESTS[$key]}"
      status=$(curl -s -o "$OUT/$backend-$key.json" -D "$OUT/$backend-$key.headers" -w '%{http_code}' "$url")
      size=$(stat -c %s "$OUT/$backend-$key.json")
      extra=()
      case "$mode" in
        uncached) extra=(-s bench/lua/unique.lua) ;;
        revalidate)
          etag=$(awk 'tolower($1) == "etag:" {print $2}' "$OUT/$backend-$key.headers" | tr -d '\r')
          extra=(-H "If-None-Match: $etag") ;;
      esac
      wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "${extra[@]}" "$url" >/dev/null  # warm-up, not measured
      out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${extra[@]}" "$url")
      read_wrk "$out"
      line=$(printf "%-8s %-10s %s c=%-3s status=%s  bytes=%-7s  %6s req/s  p50 %6s ms  p99 %6s ms  %s" "$backend" "$mode" "$key" "$CONNECTIONS" "$status" "$size" "$RPS" "$P50" "$P99" "$ERRORS")
      echo "$line" | tee -a "$RESULTS"
    done
    if [ "$mode" = uncached ]; then
      stop_server
      start_server
    fi
  done
  echo "$backend peak RSS: $(peak_rss_mb "$server_pid") MB" | tee -a "$RESULTS"
  stop_server
done
echo "== results in $RESULTS"
