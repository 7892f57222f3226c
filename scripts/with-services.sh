#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL and Redis on free loopback ports.
#
#   scripts/with-services.sh COMMAND [ARGS...]
#
# Installs the Debian packages it needs when missing (as root, through apt-get), starts its own
# PostgreSQL cluster and Redis server in a temporary folder, exports DATABASE_URL and REDIS_URL
# for the command, and stops and removes both when the command ends, whether it passes or fails.
# It never touches a server that was already running on the machine.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
"$here/system-deps.sh" test

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
tmp="$(mktemp -d /tmp/hefei-ai-zone-services.XXXXXX)"
pg_port="$(free_port)"
redis_port="$(free_port)"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  status=$?
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$pg_bin/initdb" -D "$tmp/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log"; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w \
  -o "-h 127.0.0.1 -p $pg_port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$tmp/pg.log"; exit 1; }

redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize yes \
  --dir "$tmp" --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log"
for _ in $(seq 50); do
  redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done

export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/hefei_ai_zone"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres hefei_ai_zone
echo "with-services: PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port ($tmp)"
"$@"
