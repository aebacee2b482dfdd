#!/usr/bin/env bash
# Run N replicas of the app on 127.0.0.1 behind nginx with sticky sessions, and the Redis that their
# presenter's rooms share, or stop them.
#
#   deploy/start_replicas.sh 2          # replicas on 127.0.0.1:8601-8602, nginx on http://127.0.0.1:8080
#   deploy/start_replicas.sh status     # what is running
#   deploy/start_replicas.sh stop       # stop nginx, Redis and the replicas this script started
#
# Settings (environment): FIRST_PORT (8601), PROXY_PORT (8080), PYTHON (.venv/bin/python if present),
# EXPLORER_RUN_DIR (where pid files, logs and the generated nginx.conf go; a folder under $TMPDIR),
# MALLOC_ARENA_MAX (2: keeps each replica's memory flat under many visitors; see the README, Performance),
# REDIS_PORT (6390: the Redis started here, on 127.0.0.1, keeping nothing on disk), or REDIS_URL (a Redis of
# your own: none is started then). A facilitator's room and its followers may be served by different
# replicas; the room lives in Redis so that they all see it.
# Needs nginx and redis-server (Debian: apt-get install -y nginx redis-server). Everything listens on
# 127.0.0.1 only; put a TLS proxy in front for the public (see the README).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${EXPLORER_RUN_DIR:-${TMPDIR:-/tmp}/mobility-explorer-replicas}"
FIRST_PORT="${FIRST_PORT:-8601}"
PROXY_PORT="${PROXY_PORT:-8080}"
REDIS_PORT="${REDIS_PORT:-6390}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi

nginx_cmd() { nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" "$@"; }

wait_healthy() {  # port: poll Streamlit's health endpoint for up to 60 s
    for _ in $(seq 1 120); do
        if curl -fsS "http://127.0.0.1:$1/_stcore/health" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    echo "replica on port $1 did not become healthy; see $RUN_DIR/replica-$1.log" >&2
    return 1
}

redis_answers() {  # port: PING over bash's own /dev/tcp (no redis-cli needed)
    local reply
    exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    read -r -t 2 reply <&3 || true
    exec 3>&-
    [[ "$reply" == "+PONG"* ]]
}

start_redis() {  # the rooms' store, unless REDIS_URL names one already
    if [[ -n "${REDIS_URL:-}" ]]; then return 0; fi
    command -v redis-server >/dev/null || { echo "redis-server is not installed (Debian: apt-get install -y redis-server)" >&2; exit 1; }
    # Rooms hold only view state for a few hours: no snapshots, no append-only file.
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
        --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log" --dir "$RUN_DIR"
    for _ in $(seq 1 40); do
        if redis_answers "$REDIS_PORT"; then REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"; return 0; fi
        sleep 0.25
    done
    echo "Redis did not answer on port $REDIS_PORT; see $RUN_DIR/redis.log" >&2
    return 1
}

write_nginx_conf() {  # count
    local servers="" user_directive="" port
    for ((i = 0; i < $1; i++)); do
        port=$((FIRST_PORT + i))
        servers+="        server 127.0.0.1:${port} max_fails=3 fail_timeout=10s;"$'\n'
    done
    mkdir -p "$RUN_DIR/tmp"
    if [[ $(id -u) -eq 0 ]]; then  # never run nginx workers as root
        user_directive="user www-data;"
        chown -R www-data "$RUN_DIR/tmp"
    fi
    SERVERS="$servers" USER_DIRECTIVE="$user_directive" RUN_DIR="$RUN_DIR" LISTEN="127.0.0.1:$PROXY_PORT" \
        "$PYTHON" - "$ROOT/deploy/nginx.conf.template" "$RUN_DIR/nginx.conf" <<'PY'
import os, sys
text = open(sys.argv[1]).read()
for name, value in {"@UPSTREAM_SERVERS@": os.environ["SERVERS"].rstrip("\n"), "@USER_DIRECTIVE@": os.environ["USER_DIRECTIVE"],
                    "@RUN_DIR@": os.environ["RUN_DIR"], "@LISTEN@": os.environ["LISTEN"], "@COOKIE_SECURE@": ""}.items():
    text = text.replace(name, value)
open(sys.argv[2], "w").write(text)
PY
}

start() {  # count
    local count="$1" port secret
    [[ "$count" =~ ^[1-9][0-9]?$ ]] || { echo "N must be 1-99" >&2; exit 2; }
    command -v nginx >/dev/null || { echo "nginx is not installed (Debian: apt-get install -y nginx)" >&2; exit 1; }
    if [[ -f "$RUN_DIR/nginx.pid" ]] || compgen -G "$RUN_DIR/replica-*.pid" >/dev/null; then
        echo "already running (pid files in $RUN_DIR); run: $0 stop" >&2; exit 1
    fi
    mkdir -p "$RUN_DIR" && chmod 755 "$RUN_DIR"
    start_redis
    # One cookie secret shared by all replicas (Streamlit signs its XSRF cookie with it); passed through
    # the environment, not the command line, so it does not show in `ps`.
    secret="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')"
    for ((i = 0; i < count; i++)); do
        port=$((FIRST_PORT + i))
        (cd "$ROOT" && STREAMLIT_SERVER_COOKIE_SECRET="$secret" REDIS_URL="$REDIS_URL" \
            MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" exec "$PYTHON" serve.py \
            --server.address 127.0.0.1 --server.port "$port" --server.headless true \
            >"$RUN_DIR/replica-$port.log" 2>&1) &
        echo $! >"$RUN_DIR/replica-$port.pid"
    done
    for ((i = 0; i < count; i++)); do wait_healthy $((FIRST_PORT + i)); done
    write_nginx_conf "$count"
    nginx_cmd -t -q
    nginx_cmd
    echo "$count replica(s) on 127.0.0.1:$FIRST_PORT-$((FIRST_PORT + count - 1)), rooms in $REDIS_URL; open http://127.0.0.1:$PROXY_PORT/"
}

stop() {
    local pid_file pid
    if [[ -f "$RUN_DIR/nginx.pid" ]]; then
        nginx_cmd -s quit || true
        for _ in $(seq 1 20); do [[ -f "$RUN_DIR/nginx.pid" ]] || break; sleep 0.25; done
    fi
    for pid_file in "$RUN_DIR"/replica-*.pid; do
        [[ -f "$pid_file" ]] || continue
        pid="$(cat "$pid_file")"
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; fi
        rm -f "$pid_file"
    done
    if [[ -f "$RUN_DIR/redis.pid" ]]; then
        pid="$(cat "$RUN_DIR/redis.pid")"
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; fi
        rm -f "$RUN_DIR/redis.pid"
    fi
    echo "stopped"
}

status() {
    local pid_file pid
    [[ -f "$RUN_DIR/nginx.pid" ]] && echo "nginx: pid $(cat "$RUN_DIR/nginx.pid") on 127.0.0.1:$PROXY_PORT"
    [[ -f "$RUN_DIR/redis.pid" ]] && echo "redis: pid $(cat "$RUN_DIR/redis.pid") on 127.0.0.1:$REDIS_PORT"
    for pid_file in "$RUN_DIR"/replica-*.pid; do
        [[ -f "$pid_file" ]] || continue
        pid="$(cat "$pid_file")"
        if kill -0 "$pid" 2>/dev/null; then state=running; else state=gone; fi
        echo "$(basename "$pid_file" .pid): pid $pid $state"
    done
}

case "${1:-2}" in
    stop) stop ;;
    status) status ;;
    *) start "${1:-2}" ;;
esac
