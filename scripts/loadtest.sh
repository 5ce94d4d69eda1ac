#!/usr/bin/env bash
# Load test against a real server on a seeded temporary database: start-up
# time, idle and peak memory, and wrk figures for each endpoint next to the
# same run's GET /healthz as the ceiling. Needs wrk (apt-get install wrk).
# The database is the demo zone plus LEADS leads (default 100000) seeded
# through the bulk loader (xinlu demo --leads); the pipeline endpoints are
# measured as the screener, the sponsor and the viewer (who sign in without a second
# factor) with API tokens.
#
# Usage: [LEADS=N] [ZONES=K] [DB=postgres://…] [ENGINES=…] scripts/loadtest.sh [seconds per endpoint, default 10]
#   DB=postgres://USER@HOST:PORT/DATABASE  measures SQLite and PostgreSQL one after the other and prints them
#                 side by side; PostgreSQL gets a schema of its own (needs psql), dropped at the end.
#   ENGINES=sqlite or ENGINES=postgres  measures one engine only.
#   ZONES=K       spreads the leads over K zones (the demo zone and K-1 load-test zones) and measures lead
#                 creation from CREATE_ZONES of them at once (default K, at most 8) besides one zone's.
#   SERVERS=2     (PostgreSQL) starts a second server on the same database and port+1: the first's session
#                 on it, a list total after a write on the other, the kanban on both, which ran the hourly jobs,
#                 and the lead list and lead creation on both servers at once.
#   REUSE=1       measures databases seeded before (with the same LEADS and ZONES) as they are: SQLite at
#                 SQLITE_DB=sqlite:PATH (its key file beside it), PostgreSQL at DB in schema PGSCHEMA (default
#                 public) with the key file PGKEY. Nothing is seeded or dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
LEADS=${LEADS:-100000}
ZONES=${ZONES:-1}
CREATE_ZONES=${CREATE_ZONES:-$(( ZONES < 8 ? ZONES : 8 ))}
BIN=bin/xinlu
PORT=${XINLU_LOADTEST_PORT:-8097}
ADDR=127.0.0.1:$PORT
DIR=$(mktemp -d)
PID=
SCHEMA=
PGDSN=
[[ "${DB:-}" == postgres* ]] && PGDSN=$DB
ENGINES=${ENGINES:-sqlite${PGDSN:+ postgres}}
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  [ -n "$SCHEMA" ] && psql -q "$PGDSN" -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -x $BIN ] || make build >/dev/null

run() { # name, then wrk arguments
  local name=$1; shift
  local out; out=$(wrk -t$(( ${CONNS:-64} < 2 ? 1 : 2 )) -c"${CONNS:-64}" -d"${DUR}s" --latency "$@")
  echo "$name $(wrk_figures "$out")"
}
wrk_figures() { # req/s p50 p99 non-2xx of one wrk output
  local rps p50 p99
  rps=$(echo "$1" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$1" | awk '$1=="50%" {print $2}')
  p99=$(echo "$1" | awk '$1=="99%" {print $2}')
  echo "$rps $p50 $p99 $(echo "$1" | grep -c 'Non-2xx' || true)"
}

two_servers() { # db key: a second server on the first's database, checked against it and measured with it
  local db=$1 key=$2 addr2=127.0.0.1:$((PORT + 1)) pid2 before after code a b
  $BIN serve --db "$db" --key-file "$key" --addr "$addr2" >"$DIR/serve2.log" 2>&1 &
  pid2=$!
  until curl -sf "http://$addr2/healthz" >/dev/null; do sleep 0.05; done
  for _ in $(seq 1 240); do grep -q 'msg="audit anchor"\|msg="scheduled jobs\|msg="audit chain broken"' "$DIR/serve2.log" && break; sleep 0.5; done
  {
    echo "two servers on one database: $ADDR and $addr2"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://$addr2/api/v1/me")
    echo "  the first server's session on the second: HTTP $code"
    local url="/api/v1/leads?status=reported&industry=equipment&per_page=1"
    before=$(curl -s -H "Authorization: Bearer $SCREENER" "http://$addr2$url" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $SCREENER" -H 'Content-Type: application/json' \
      -d '{"company":"两台服务器核对有限公司","project_name":"核对项目","industry":"equipment","channel":"online","contact_name":"王总","contact_phone":"13800000000"}' \
      "http://$ADDR/api/v1/leads")
    after=$(curl -s -H "Authorization: Bearer $SCREENER" "http://$addr2$url" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
    echo "  a lead reported on the first (HTTP $code), the list total on the second: $before -> $after ($([ "$((before + 1))" = "$after" ] && echo exact || echo WRONG))"
    a=$(curl -s -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/projects/kanban" | md5sum)
    b=$(curl -s -H "Authorization: Bearer $TOKEN" "http://$addr2/api/v1/projects/kanban" | md5sum)
    echo "  the kanban on both: $([ "$a" = "$b" ] && echo the same || echo DIFFERENT)"
    echo "  scheduled jobs at start: first server $(grep -o 'msg="scheduled jobs[^"]*"' "$DIR/serve.log" | head -1 | cut -d'"' -f2), second server $(grep -o 'msg="scheduled jobs[^"]*"' "$DIR/serve2.log" | head -1 | cut -d'"' -f2)"
    echo "  runs of the jobs in all: $(cat "$DIR/serve.log" "$DIR/serve2.log" | grep -c 'msg="scheduled jobs done"')"
    local name path lua
    for name in lead-list lead-create; do
      path=$LEADS_URL lua=()
      [ "$name" = lead-create ] && path="http://$ADDR/api/v1/leads" lua=(-s scripts/wrk-post-lead.lua)
      WRK_TAG=s1 wrk -t1 -c32 -d"${DUR}s" --latency "${lua[@]}" -H "Authorization: Bearer $SCREENER" "$path" >"$DIR/s1.wrk" &
      WRK_TAG=s2 wrk -t1 -c32 -d"${DUR}s" --latency "${lua[@]}" -H "Authorization: Bearer $SCREENER" "${path/$ADDR/$addr2}" >"$DIR/s2.wrk"
      wait $!
      { wrk_figures "$(cat "$DIR/s1.wrk")"; wrk_figures "$(cat "$DIR/s2.wrk")"; } | awk -v n="$name" '{r[NR] = $1; p[NR] = $3}
        END { printf "  %s on both at once (32 connections each): %.0f + %.0f = %.0f req/s, p99 %s and %s\n", n, r[1], r[2], r[1] + r[2], p[1], p[2] }'
    done
  } >"$DIR/two"
  kill "$pid2" 2>/dev/null || true
  wait "$pid2" 2>/dev/null || true
}

measure() { # engine: seeds (unless REUSE), serves and measures; results in $DIR/results.ENGINE
  local engine=$1 db key
  SCHEMA=
  if [ "$engine" = postgres ]; then
    [ -n "$PGDSN" ] || { echo "ENGINES=postgres needs DB=postgres://…"; exit 1; }
    command -v psql >/dev/null || { echo "psql is not installed (apt-get install postgresql-client)"; exit 1; }
    local schema=${PGSCHEMA:-public}
    if [ -z "${REUSE:-}" ]; then
      SCHEMA=loadtest_$$
      schema=$SCHEMA
      psql -q "$PGDSN" -c "CREATE SCHEMA $SCHEMA" >/dev/null
    fi
    local sep='?'; [[ "$PGDSN" == *\?* ]] && sep='&'
    db="$PGDSN${sep}search_path=$schema"
    key=${PGKEY:-$DIR/pg.key}
  else
    if [ -n "${REUSE:-}" ]; then
      db=${SQLITE_DB:?REUSE=1 needs SQLITE_DB=sqlite:PATH}
      key=$(dirname "${db#sqlite:}")/xinlu.key
    else
      db=sqlite:$DIR/xinlu.db
      key=$DIR/xinlu.key
    fi
  fi
  echo "== $engine"
  if [ -z "${REUSE:-}" ]; then
    local seed_start; seed_start=$(date +%s%N)
    $BIN demo --db "$db" --key-file "$key" --password 'Load@2026x' --leads "$LEADS" --zones "$ZONES" >"$DIR/seed.log" 2>&1 || { cat "$DIR/seed.log"; exit 1; }
    echo "seeded the demo zone and $LEADS leads over $ZONES zone(s) in $(( ($(date +%s%N) - seed_start) / 1000000 )) ms"
    if [ "$engine" = postgres ]; then
      psql -q "$PGDSN" -c "VACUUM ANALYZE" >/dev/null
    fi
  fi
  local start; start=$(date +%s%N)
  $BIN serve --db "$db" --key-file "$key" --addr "$ADDR" >"$DIR/serve.log" 2>&1 &
  PID=$!
  until curl -sf "http://$ADDR/healthz" >/dev/null; do sleep 0.005; done
  echo "start-up to first healthy answer: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  # The hourly jobs run once at start (escalations, the audit check): let
  # them finish first, at most two minutes.
  for _ in $(seq 1 240); do grep -q 'msg="audit anchor"\|msg="scheduled jobs\|msg="audit chain broken"' "$DIR/serve.log" && break; sleep 0.5; done
  sleep 2
  echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"

  login() {
    curl -s -X POST "http://$ADDR/api/v1/auth/login" -d "{\"username\":\"$1\",\"password\":\"Load@2026x\"}" |
      sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
  }
  local TOKEN SCREENER VIEWER
  TOKEN=$(login sponsor)
  SCREENER=$(login screener)
  VIEWER=$(login viewer)
  [ -n "$TOKEN" ] && [ -n "$SCREENER" ] && [ -n "$VIEWER" ] || { echo "login failed"; exit 1; }
  local LEADS_URL="http://$ADDR/api/v1/leads?status=rejected&industry=equipment&per_page=50"
  local LEDGER_URL="http://$ADDR/api/v1/projects?stage=agency&industry=materials&per_page=50"
  local KANBAN_URL="http://$ADDR/api/v1/projects/kanban"
  echo "lead list total: $(curl -s -H "Authorization: Bearer $SCREENER" "$LEADS_URL" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')"

  local ceiling; ceiling=$(run healthz "http://$ADDR/healthz")
  local results=("$ceiling"
    "$(run login-page "http://$ADDR/login")"
    "$(run api-me -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/me")"
    "$(run lead-list -H "Authorization: Bearer $SCREENER" "$LEADS_URL")"
    "$(run ledger -H "Authorization: Bearer $TOKEN" "$LEDGER_URL")"
    "$(run kanban -H "Authorization: Bearer $TOKEN" "$KANBAN_URL")"
    "$(CONNS=16 run cockpit-16c -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/cockpit")"
    "$(CONNS=16 run rollup-16c -H "Authorization: Bearer $VIEWER" "http://$ADDR/api/v1/cockpit/zones")"
    "$(WRK_TAG=one run lead-create -s scripts/wrk-post-lead.lua -H "Authorization: Bearer $SCREENER" "http://$ADDR/api/v1/leads")")
  if [ "$ZONES" -gt 1 ]; then
    # Lead creation in CREATE_ZONES zones at once: one wrk per zone's
    # screener, the 64 connections shared out; req/s summed, the worst p99
    # kept.
    local pids=() z tok per=$(( 64 / CREATE_ZONES )); [ "$per" -ge 1 ] || per=1
    # First one zone alone with as many connections as each zone gets
    # below: the same load per zone, so that the ratio shows whether zones
    # wait for each other, also where one zone's 64 connections fill the
    # machine already.
    results+=("$(WRK_TAG=alone CONNS=$per run "create-1z-${per}c" -s scripts/wrk-post-lead.lua -H "Authorization: Bearer $SCREENER" "http://$ADDR/api/v1/leads")")
    for z in $(seq 1 "$CREATE_ZONES"); do
      if [ "$z" = 1 ]; then tok=$SCREENER; else tok=$(login "$(printf 'screener%02d' "$z")"); fi
      [ -n "$tok" ] || { echo "login of zone $z's screener failed"; exit 1; }
      WRK_TAG=z$z wrk -t1 -c"$per" -d"${DUR}s" --latency -s scripts/wrk-post-lead.lua -H "Authorization: Bearer $tok" \
        "http://$ADDR/api/v1/leads" >"$DIR/zone$z.wrk" &
      pids+=($!)
    done
    wait "${pids[@]}"
    results+=("$(for z in $(seq 1 "$CREATE_ZONES"); do wrk_figures "$(cat "$DIR/zone$z.wrk")"; done |
      awk -v k="$CREATE_ZONES" 'function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
        { rps += $1; if (ms($2) > p50) p50 = ms($2); if (ms($3) > p99) p99 = ms($3); bad += $4 }
        END { printf "create-%dz %.2f %.2fms %.2fms %d\n", k, rps, p50, p99, bad }')")
  fi
  [ "$engine" = postgres ] && [ "${SERVERS:-1}" -ge 2 ] && two_servers "$db" "$key"
  local base; base=$(echo "$ceiling" | awk '{print $2}')
  printf '%-12s %10s %9s %9s %8s %s\n' endpoint req/s p50 p99 ratio non-2xx
  for r in "${results[@]}"; do
    echo "$r" | awk -v base="$base" '{printf "%-12s %10.0f %9s %9s %7.0f%% %s\n", $1, $2, $3, $4, 100*$2/base, ($5>0?"NON-2XX":"")}'
  done
  printf '%s\n' "${results[@]}" >"$DIR/raw.$engine"
  echo "peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)"
  [ -f "$DIR/two" ] && cat "$DIR/two" && rm "$DIR/two"
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
  if [ -n "$SCHEMA" ]; then
    psql -q "$PGDSN" -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1
    SCHEMA=
  fi
}

for e in $ENGINES; do
  measure "$e"
done
set -- $ENGINES
if [ $# -eq 2 ]; then
  echo
  echo "== side by side ($LEADS leads over $ZONES zone(s), wrk -t2 -c64 -d${DUR}s)"
  printf '%-12s %10s %9s %9s | %10s %9s %9s | %s\n' endpoint "$1 req/s" p50 p99 "$2 req/s" p50 p99 "$2/$1"
  join <(sort "$DIR/raw.$1") <(sort "$DIR/raw.$2") |
    awk '{printf "%-12s %10.0f %9s %9s | %10.0f %9s %9s | %5.2f\n", $1, $2, $3, $4, $6, $7, $8, ($2>0?$6/$2:0)}'
fi
