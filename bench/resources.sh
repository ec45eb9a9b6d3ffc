#!/usr/bin/env bash
# Resource test (loopback, bounded): the server's memory and file descriptors under hostile
# loads, per backend, at demo scale 1 (release build, default limits):
#   - 24 parallel uploads of an all-black 8192×8192 PNG (refused from its header);
#   - 200 parallel sign-ins for 200 usernames from 200 addresses (each one hashed);
#   - 10,000 idle connections while /healthz and a list are timed, then closed by the server;
#   - twice 24 parallel uploads of a 6000×6000 one (36 megapixels, under the pixel limit:
#     decoded, two at a time).
# Prints RSS (MB) before, at the peak of and 5 s after each load. bench/resources.sh [scale, default 1]
set -euo pipefail
BENCH_NEEDS_WRK=0
source "$(dirname "$0")/common.sh"
SCALE="${1:-1}"

rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status"; }
# Runs a load while sampling the server's RSS; prints the load's figures and peak/settled RSS.
measured() { # label, load arguments...
  local label=$1; shift
  local peak_file="$OUT/resources-peak"
  echo 0 >"$peak_file"
  ( peak=0; while kill -0 "$server_pid" 2>/dev/null; do
      now=$(rss); [ "$now" -gt "$peak" ] && peak=$now && echo "$peak" >"$peak_file"; sleep 0.05; done ) &
  local sampler=$!
  local before figures
  before=$(rss)
  figures=$(python3 bench/resources_load.py "$@")
  sleep 5
  kill "$sampler" 2>/dev/null || true
  printf '%-30s before %4s MB, peak %4s MB, 5 s later %4s MB  %s\n' "$label" "$before" "$(cat "$peak_file")" "$(rss)" "$figures"
}

for backend in $BACKENDS; do
  fresh_database "$backend" "resources-$backend"
  "$BIN" demo --scale "$SCALE" --seed 1 >/dev/null
  "$BIN" user create --username bomber --password-stdin --superuser >/dev/null <<<"bomber-password-1"
  key=$("$BIN" token create --user bomber)
  export HARRASTUSPASSI_TRUSTED_PROXIES=127.0.0.1 HARRASTUSPASSI_SCHEDULER=false
  log="$OUT/resources-$backend.log"
  "$BIN" serve 2>"$log" & server_pid=$!
  for _ in $(seq 50); do curl -sf "$BASE/api/" >/dev/null && break; sleep 0.2; done
  echo "== $backend (scale $SCALE), at rest: $(rss) MB"
  measured "24 × 8192² PNG bombs" bombs "$BASE" "$key" 24 8192 8192
  measured "200 parallel sign-ins" logins "$BASE" 200
  measured "10,000 idle connections" idle "$BASE" 10000 12
  # Decoded images last: their buffers stay with the allocator for a while.
  measured "24 × 6000² PNG (36 MP)" bombs "$BASE" "$key" 24 6000 6000
  # Again: the memory of the first round is reused, not added to.
  measured "24 × 6000² PNG again" bombs "$BASE" "$key" 24 6000 6000
  if grep -qi panicked "$log"; then echo "PANIC in $log"; else echo "no panic in $log"; fi
  stop_server
done
