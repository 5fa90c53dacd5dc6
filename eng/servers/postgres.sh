#!/usr/bin/env bash
# A PostgreSQL server for the tests, with its data in a folder of its own (see eng/test.sh).
#
#   eng/servers/postgres.sh start <folder>   # prints HERALD_TEST_POSTGRES=<Npgsql connection string>
#   eng/servers/postgres.sh stop <folder>
#
# By hand: eng/servers/postgres.sh start /tmp/pg, then export the line it printed, e.g.
#   export "$(eng/servers/postgres.sh start /tmp/pg | grep ^HERALD_TEST_POSTGRES=)"
#
# Installs the Debian package postgresql-15 when its binaries are missing (as root, with apt-get), creates a cluster
# with initdb in <folder>/data owned by the postgres user, and starts it on 127.0.0.1 only, on HERALD_POSTGRES_PORT or
# else the first free port from 54329 (so a developer's own server there does not stop a test run), with a unix socket
# in <folder>. Nothing outside <folder> is written except the package.
# The server is tuned for tests, not for keeping data across a power cut: fsync stays on (the crash tests kill
# clients, not the server, and a restart test restarts it cleanly), but the pool of connections is larger than the
# default so that the parallel test classes and the child processes each get theirs.
set -euo pipefail

command="${1:-}"
folder="${2:-}"
if [[ -z "$command" || ( -z "$folder" && "$command" != install ) ]]; then
    echo "usage: $0 install | start <folder> | stop <folder>" >&2
    exit 2
fi

version=15
bin="/usr/lib/postgresql/$version/bin"
port="${HERALD_POSTGRES_PORT:-}"
password="herald-test"

as_postgres() {
    if [[ "$(id -un)" == postgres ]]; then
        "$@"
    else
        runuser -u postgres -- "$@"
    fi
}

install_server() {
    if [[ -x "$bin/initdb" ]]; then
        return
    fi
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "PostgreSQL $version is not installed ($bin/initdb is missing): install the postgresql-$version package." >&2
        exit 1
    fi
    echo "installing postgresql-$version with apt-get" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$version" >&2
    # The package starts a cluster of its own on the default port: the tests use theirs, so stop that one.
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
    fi
}

# The server runs as the postgres user: it must be able to reach <folder>. A parent made by mktemp -d (mode 700, as
# eng/test.sh's is) gets search permission for others (o+x: reach a known name, not list).
grant_reach() {
    local path="" part
    IFS=/ read -ra parts <<< "${1#/}"
    for part in "${parts[@]}"; do
        path="$path/$part"
        if ! as_postgres test -x "$path" 2>/dev/null; then
            chmod o+x "$path"
        fi
    done
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$command" in
install)
    # Only the package: CI installs it in a step of its own, before anything is built.
    install_server
    ;;
start)
    install_server
    if [[ -z "$port" ]]; then
        port=54329
        while port_in_use "$port"; do
            port=$((port + 1))
            if ((port > 54379)); then
                echo "no free port from 54329 to 54379 on 127.0.0.1: set HERALD_POSTGRES_PORT" >&2
                exit 1
            fi
        done
    fi
    mkdir -p "$folder"
    folder="$(cd "$folder" && pwd)"
    data="$folder/data"
    chown postgres "$folder" 2>/dev/null || true
    chmod 700 "$folder"
    if [[ "$(id -u)" == 0 ]]; then
        grant_reach "$(dirname "$folder")"
    fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
        echo "$password" >"$folder/pwfile"
        chown postgres "$folder/pwfile" 2>/dev/null || true
        as_postgres "$bin/initdb" -D "$data" -U postgres --pwfile="$folder/pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 ||
            { cat "$folder/initdb.log" >&2; exit 1; }
        rm -f "$folder/pwfile"
    fi
    as_postgres "$bin/pg_ctl" -D "$data" -l "$folder/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$folder -c max_connections=300 -c shared_buffers=256MB -c max_wal_size=2GB -c fsync=on" \
        start >&2 || { tail -n 30 "$folder/server.log" >&2; exit 1; }
    echo "postgres $version on 127.0.0.1:$port, data in $data"
    echo "HERALD_TEST_POSTGRES=Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
    echo "HERALD_TEST_POSTGRES_DATA=$data"
    ;;
stop)
    data="$folder/data"
    if [[ -f "$data/postmaster.pid" ]]; then
        as_postgres "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >&2
    fi
    ;;
*)
    echo "usage: $0 install | start <folder> | stop <folder>" >&2
    exit 2
    ;;
esac
