#!/usr/bin/env bash
# Schema-driven fuzzing: schemathesis (PyPI) generates requests from the served OpenAPI
# document, anonymously and as a superuser, and checks that no answer is a server error,
# that every status code is documented and that every body matches its schema. Then the
# server's log must show no panic. Usage: tests/schemathesis/run.sh sqlite|postgres [SECONDS]
#   SCHEMATHESIS_PG_URL (postgres://postgres@127.0.0.1:5432), SCHEMATHESIS_PORT (18300),
#   HARRASTUSPASSI_BIN (target/debug/harrastuspassi)
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:?sqlite or postgres}"
seconds="${2:-60}"
port="${SCHEMATHESIS_PORT:-18300}"
bin="${HARRASTUSPASSI_BIN:-$PWD/target/debug/harrastuspassi}"
work="$PWD/target/schemathesis/$backend"
rm -rf "$work" && mkdir -p "$work"
export HARRASTUSPASSI_DATA_DIR="$work/data" HARRASTUSPASSI_PORT="$port" HARRASTUSPASSI_SCHEDULER=false
case "$backend" in
  sqlite) unset DATABASE_URL ;;
  postgres)
    pg="${SCHEMATHESIS_PG_URL:-postgres://postgres@127.0.0.1:5432}"
    psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS hp_schemathesis WITH (FORCE)" -c "CREATE DATABASE hp_schemathesis" >/dev/null
    export DATABASE_URL="$pg/hp_schemathesis" ;;
  *) echo "unknown backend $backend" >&2; exit 2 ;;
esac

"$bin" demo --scale 0.1 >/dev/null
"$bin" user create --username fuzzer --password-stdin --superuser >/dev/null <<<"fuzzer-password-1"
key=$("$bin" token create --user fuzzer)

RUST_LOG=warn "$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

base="http://127.0.0.1:$port"
checks=not_a_server_error,status_code_conformance,response_schema_conformance
# One worker: hypothesis' lambda-source cache is not thread-safe on CPython 3.11.
for who in anonymous superuser; do
  auth=()
  [ "$who" = superuser ] && auth=(-H "Authorization: Token $key")
  echo "== schemathesis on $backend, $who, ${seconds} s"
  st run "$base/openapi.json" --url "$base" "${auth[@]}" --checks "$checks" \
    --max-time "$seconds" --workers 1 --no-color --warnings off
done
if grep -qi "panicked" "$work/server.log"; then
  echo "the server panicked:" >&2
  grep -i -A5 "panicked" "$work/server.log" >&2
  exit 1
fi
echo "== no panic in the server log ($work/server.log)"
