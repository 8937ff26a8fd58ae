#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1; start them when they do not (CI, fresh machines).
set -euo pipefail
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q .; then
    pg_ctlcluster "$(pg_lsclusters -h | awk 'NR==1{print $1}')" "$(pg_lsclusters -h | awk 'NR==1{print $2}')" start || true
  fi
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    D=/var/tmp/danbao-pg
    BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    if [ ! -f "$D/PG_VERSION" ]; then
      mkdir -p "$D" && chown postgres:postgres "$D"
      su postgres -c "$BIN/initdb -D $D -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    su postgres -c "$BIN/pg_ctl -D $D -o '-c listen_addresses=127.0.0.1 -p 5432 -k $D' -l $D/pg.log -w start"
  fi
fi
pg_isready -h 127.0.0.1 -p 5432
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "starting Redis"
  command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes
  sleep 1
fi
redis-cli -h 127.0.0.1 -p 6379 ping
