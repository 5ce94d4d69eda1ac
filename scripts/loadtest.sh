#!/usr/bin/env bash
# Load test against a real server on a seeded temporary database: start-up
# time, idle and peak memory, and wrk figures for each endpoint next to the
# same run's GET /healthz as the ceiling. Needs wrk (apt-get install wrk).
# The database is the demo zone plus LEADS leads (default 100000) seeded
# through the bulk loader (xinlu demo --leads); the pipeline endpoints are
# measured as the screener and the director with API tokens.
# Usage: [LEADS=N] [DB=postgres://…] scripts/loadtest.sh [seconds per endpoint, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
LEADS=${LEADS:-100000}
BIN=bin/xinlu
ADDR=127.0.0.1:${XINLU_LOADTEST_PORT:-8097}
DIR=$(mktemp -d)
PID=
# DB=postgres://USER@HOST:PORT/DATABASE measures PostgreSQL instead: the run
# gets a schema of its own (needs psql), dropped at the end.
PGDSN=${DB:-}
SCHEMA=
if [[ "$PGDSN" == postgres* ]]; then
  command -v psql >/dev/null || { echo "psql is not installed (apt-get install postgresql-client)"; exit 1; }
  SCHEMA=loadtest_$$
  psql -q "$PGDSN" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  sep='?'; [[ "$PGDSN" == *\?* ]] && sep='&'
  DB="$PGDSN${sep}search_path=$SCHEMA"
else
  DB=sqlite:$DIR/xinlu.db
fi
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  [ -n "$SCHEMA" ] && psql -q "$PGDSN" -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
KEY=$DIR/xinlu.key
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -x $BIN ] || make build >/dev/null

echo "engine: ${DB%%:*}"
seed_start=$(date +%s%N)
$BIN demo --db "$DB" --key-file "$KEY" --password 'Load@2026x' --leads "$LEADS" >"$DIR/seed.log" 2>&1 || { cat "$DIR/seed.log"; exit 1; }
echo "seeded the demo zone and $LEADS leads in $(( ($(date +%s%N) - seed_start) / 1000000 )) ms"
if [ -n "$SCHEMA" ]; then
  psql -q "$PGDSN" -c "VACUUM ANALYZE" >/dev/null
fi
start=$(date +%s%N)
$BIN serve --db "$DB" --key-file "$KEY" --addr "$ADDR" >"$DIR/serve.log" 2>&1 &
PID=$!
until curl -sf "http://$ADDR/healthz" >/dev/null; do sleep 0.005; done
echo "start-up to first healthy answer: $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 2
echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"

login() {
  curl -s -X POST "http://$ADDR/api/v1/auth/login" -d "{\"username\":\"$1\",\"password\":\"Load@2026x\"}" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
TOKEN=$(login director)
SCREENER=$(login screener)
[ -n "$TOKEN" ] && [ -n "$SCREENER" ] || { echo "login failed"; exit 1; }
LEADS_URL="http://$ADDR/api/v1/leads?status=rejected&industry=equipment&per_page=50"
LEDGER_URL="http://$ADDR/api/v1/projects?stage=agency&industry=materials&per_page=50"
KANBAN_URL="http://$ADDR/api/v1/projects/kanban"
echo "lead list total: $(curl -s -H "Authorization: Bearer $SCREENER" "$LEADS_URL" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')"

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
  "$(run api-me -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/me")"
  "$(run lead-list -H "Authorization: Bearer $SCREENER" "$LEADS_URL")"
  "$(run ledger -H "Authorization: Bearer $TOKEN" "$LEDGER_URL")"
  "$(run kanban -H "Authorization: Bearer $TOKEN" "$KANBAN_URL")"
  "$(run lead-create -s scripts/wrk-post-lead.lua -H "Authorization: Bearer $SCREENER" "http://$ADDR/api/v1/leads")")
base=$(echo "$ceiling" | awk '{print $2}')
printf '%-12s %10s %9s %9s %8s %s\n' endpoint req/s p50 p99 ratio non-2xx
for r in "${results[@]}"; do
  echo "$r" | awk -v base="$base" '{printf "%-12s %10.0f %9s %9s %7.0f%% %s\n", $1, $2, $3, $4, 100*$2/base, ($5>0?"NON-2XX":"")}'
done
echo "peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)"
