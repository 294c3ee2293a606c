#!/usr/bin/env bash
# Start the local PostgreSQL and Redis the service tests (and a dev `invoice-ocr api/worker`) need.
# Idempotent: a service that already answers is left alone. On a machine without the binaries it
# says what is missing and exits 1. The S3 server (moto) and the Celery workers are started by the
# tests themselves (tests/service/conftest.py).
set -uo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 REDIS_PORT=6379
missing=()
status=0

have() { command -v "$1" >/dev/null 2>&1; }

wait_until() {  # wait_until SECONDS CMD...: retry CMD until it succeeds or the time is up
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS >= deadline)) && return 1
        sleep 0.5
    done
}

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG; }

# PostgreSQL
if have pg_isready && pg_up; then
    echo "postgresql: already running on $PG_HOST:$PG_PORT"
elif have pg_ctlcluster && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    version=$(ls /etc/postgresql | sort -V | tail -1)
    echo "postgresql: starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    if wait_until 30 pg_up; then
        echo "postgresql: running on $PG_HOST:$PG_PORT"
    else
        echo "postgresql: did not come up; see /var/log/postgresql/" >&2
        status=1
    fi
else
    missing+=("PostgreSQL server (pg_ctlcluster/pg_isready; e.g. apt-get install postgresql)")
fi

# Redis
if have redis-cli && redis_up; then
    echo "redis: already running on 127.0.0.1:$REDIS_PORT"
elif have redis-server; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    dir=/var/lib/redis log=/var/log/redis/ci.log
    [ -w "$dir" ] || { dir=$(mktemp -d); log="$dir/redis.log"; }
    echo "redis: starting on 127.0.0.1:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
        --dir "$dir" --logfile "$log"
    if have redis-cli && wait_until 15 redis_up; then
        echo "redis: running on 127.0.0.1:$REDIS_PORT"
    else
        echo "redis: did not come up; see $log" >&2
        status=1
    fi
else
    missing+=("Redis server (redis-server and redis-cli; e.g. apt-get install redis-server)")
fi

if ((${#missing[@]})); then
    echo "infra/services.sh: missing on this machine:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    echo "Install them, or run the service with no servers at all: invoice-ocr serve" >&2
    exit 1
fi
exit "$status"
