#!/usr/bin/env bash
# Load test against a real server on a seeded temporary database: start-up
# time, idle and peak memory, and wrk figures for each endpoint next to the
# same run's GET /healthz as the ceiling. Needs wrk (apt-get install wrk).
# Usage: scripts/loadtest.sh [seconds per endpoint, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
BIN=bin/xinlu
ADDR=127.0.0.1:${XINLU_LOADTEST_PORT:-8097}
DIR=$(mktemp -d)
DB=sqlite:$DIR/xinlu.db
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -x $BIN ] || make build >/dev/null

$BIN demo --db "$DB" --password 'Load@2026x' >/dev/null 2>&1
start=$(date +%s%N)
$BIN serve --db "$DB" --addr "$ADDR" >"$DIR/serve.log" 2>&1 &
PID=$!
until curl -sf "http://$ADDR/healthz" >/dev/null; do sleep 0.005; done
echo "start-up to first healthy answer: $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 2
echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"

TOKEN=$(curl -s -X POST "http://$ADDR/api/v1/auth/login" -d '{"username":"director","password":"Load@2026x"}' |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')

run() { # name, then wrk arguments
  local name=$1; shift
  local out; out=$(wrk -t2 -c64 -d"${DUR}s" --latency "$@")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "$name $rps $p50 $p99 $(echo "$out" | grep -c 'Non-2xx' || true)"
}
ceiling=$(run healthz "http://$ADDR/healthz")
results=("$ceiling"
  "$(run login-page "http://$ADDR/login")"
  "$(run api-me -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/me")")
base=$(echo "$ceiling" | awk '{print $2}')
printf '%-12s %10s %9s %9s %8s %s\n' endpoint req/s p50 p99 ratio non-2xx
for r in "${results[@]}"; do
  echo "$r" | awk -v base="$base" '{printf "%-12s %10.0f %9s %9s %7.0f%% %s\n", $1, $2, $3, $4, 100*$2/base, ($5>0?"NON-2XX":"")}'
done
echo "peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)"
