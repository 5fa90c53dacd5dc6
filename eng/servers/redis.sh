#!/usr/bin/env bash
# A Redis server for the tests, with its data in a folder of its own (see eng/test.sh).
#
#   eng/servers/redis.sh start <folder>   # prints HERALD_TEST_REDIS=<StackExchange.Redis configuration>
#   eng/servers/redis.sh stop <folder>
#
# By hand: eng/servers/redis.sh start /tmp/redis, then export the lines it printed, e.g.
#   export $(eng/servers/redis.sh start /tmp/redis | grep ^HERALD_TEST_)
#
# Installs the Debian package redis-server when redis-server is missing (as root, with apt-get), and starts it on
# 127.0.0.1 only, on HERALD_REDIS_PORT, else the first free port from 56379 (so a developer's own server there is never
# mistaken for the test server), daemonized, with its AOF, its pid file and its log in <folder>:
# appendonly yes and appendfsync always, so that an acknowledged write survives a server crash, as Herald's docs ask
# of a production server (docs/durable.md, "Redis"). No RDB snapshots (save ""), no eviction (noeviction), no
# protected mode beyond the loopback bind. HERALD_TEST_REDIS_SERVER names the binary, for the tests that start
# servers of their own (a server killed with SIGKILL and restarted from its AOF, a replica, a server out of memory).
set -euo pipefail

command="${1:-}"
folder="${2:-}"
if [[ -z "$command" || ( -z "$folder" && "$command" != install ) ]]; then
    echo "usage: $0 install | start <folder> | stop <folder>" >&2
    exit 2
fi

port="${HERALD_REDIS_PORT:-}"

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

install_server() {
    if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
        return
    fi
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "redis-server is not installed: install the redis-server package (it brings redis-cli)." >&2
        exit 1
    fi
    echo "installing redis-server with apt-get" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
    # The package may start a server of its own on the default port: the tests use theirs, so stop that one.
    if command -v systemctl >/dev/null 2>&1; then
        systemctl stop redis-server >/dev/null 2>&1 || true
    fi
    if [[ -f /var/run/redis/redis-server.pid ]]; then
        kill "$(cat /var/run/redis/redis-server.pid)" >/dev/null 2>&1 || true
    fi
}

case "$command" in
install)
    # Only the package: CI installs it in a step of its own, before anything is built.
    install_server
    ;;
start)
    install_server
    if [[ -f "$folder/redis.pid" && -f "$folder/redis.port" ]] && kill -0 "$(cat "$folder/redis.pid")" 2>/dev/null; then
        # Already running in this folder (a second start): say where, rather than start another on the same AOF.
        port="$(cat "$folder/redis.port")"
        echo "redis already running on 127.0.0.1:$port, AOF in $(cd "$folder" && pwd)"
        echo "HERALD_TEST_REDIS=127.0.0.1:$port"
        echo "HERALD_TEST_REDIS_SERVER=$(command -v redis-server)"
        exit 0
    fi
    if [[ -z "$port" ]]; then
        port=56379
        while port_in_use "$port"; do
            port=$((port + 1))
            if ((port > 56429)); then
                echo "no free port from 56379 to 56429 on 127.0.0.1: set HERALD_REDIS_PORT" >&2
                exit 1
            fi
        done
    elif port_in_use "$port"; then
        echo "127.0.0.1:$port (HERALD_REDIS_PORT) is in use by another server: choose another port, or unset HERALD_REDIS_PORT" >&2
        exit 1
    fi
    mkdir -p "$folder"
    folder="$(cd "$folder" && pwd)"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$folder" --daemonize yes \
        --pidfile "$folder/redis.pid" --logfile "$folder/redis.log" \
        --appendonly yes --appendfsync always --save "" --maxmemory-policy noeviction \
        --maxclients 2000 >&2 || { tail -n 30 "$folder/redis.log" >&2 || true; exit 1; }
    for _ in $(seq 1 100); do
        if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
            break
        fi
        sleep 0.1
    done
    if ! redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
        echo "redis-server did not answer on 127.0.0.1:$port:" >&2
        tail -n 30 "$folder/redis.log" >&2 || true
        exit 1
    fi
    echo "$port" >"$folder/redis.port"
    echo "redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$port, AOF in $folder"
    echo "HERALD_TEST_REDIS=127.0.0.1:$port"
    echo "HERALD_TEST_REDIS_SERVER=$(command -v redis-server)"
    ;;
stop)
    if [[ -f "$folder/redis.pid" ]]; then
        pid="$(cat "$folder/redis.pid")"
        kill "$pid" >/dev/null 2>&1 || true # SIGTERM: the server syncs its AOF and exits
        for _ in $(seq 1 100); do
            if ! kill -0 "$pid" >/dev/null 2>&1; then
                break
            fi
            sleep 0.1
        done
        rm -f "$folder/redis.pid" "$folder/redis.port"
    fi
    ;;
*)
    echo "usage: $0 install | start <folder> | stop <folder>" >&2
    exit 2
    ;;
esac
