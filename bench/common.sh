# Shared by the benchmark scripts (sourced): settings, the release binary, a fresh database
# per backend, the server's life, and reading wrk's figures.
#   BENCH_WRK_THREADS (2), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), BENCH_PORT (18080),
#   BENCH_BACKENDS ("sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${BENCH_WRK_THREADS:-2}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PORT="${BENCH_PORT:-18080}"
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
OUT=bench/out
mkdir -p "$OUT"
if [ "${BENCH_NEEDS_WRK:-1}" = 1 ]; then
  command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
fi

cargo build --release --quiet
BIN=$PWD/target/release/harrastuspassi
BASE="http://127.0.0.1:$PORT"

server_pid=""
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; server_pid=""; }
trap stop_server EXIT

# An empty database for a backend (SQLite file under bench/out/<name>, or hp_bench on
# PostgreSQL); exports DATABASE_URL and the data directory.
fresh_database() { # backend name
  case "$1" in
    sqlite)
      rm -rf "$OUT/$2" && mkdir -p "$OUT/$2"
      export DATABASE_URL="sqlite:$OUT/$2/bench.db" ;;
    postgres)
      psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS hp_bench WITH (FORCE)" -c "CREATE DATABASE hp_bench" >/dev/null
      export DATABASE_URL="$PG_URL/hp_bench" ;;
  esac
  export HARRASTUSPASSI_DATA_DIR="$OUT/$2-data" HARRASTUSPASSI_PORT="$PORT" RUST_LOG=warn
  rm -rf "$HARRASTUSPASSI_DATA_DIR"
}

start_server() {
  "$BIN" serve & server_pid=$!
  for _ in $(seq 50); do curl -sf "$BASE/api/" >/dev/null && break; sleep 0.2; done
}

# wrk's latency figures in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'
}

# Sets RPS, P50, P99 and ERRORS from wrk's output with --latency.
read_wrk() {
  RPS=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$1")
  P50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$1")")
  P99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$1")")
  ERRORS=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$1" | tr '\n' ' ')
}
