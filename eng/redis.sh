#!/usr/bin/env bash
# A Redis server for a developer, the same one eng/test.sh starts for the tests (eng/servers/redis.sh), in a fixed
# folder so that "stop" finds it again:
#
#   eng/redis.sh start        # prints HERALD_TEST_REDIS=127.0.0.1:<port> (and the binary's path)
#   export $(eng/redis.sh start | grep ^HERALD_TEST_)
#   dotnet test tests/Herald.Redis.Tests -c Release
#   eng/redis.sh stop
#
# The folder is ${HERALD_REDIS_DIR:-${TMPDIR:-/tmp}/herald-redis}; the port is HERALD_REDIS_PORT, else 56379, or the
# next free one when another server has 56379 (the line printed names it). A second start while it runs prints the
# same lines. The server keeps its AOF there between a stop and the next start.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
folder="${HERALD_REDIS_DIR:-${TMPDIR:-/tmp}/herald-redis}"
case "${1:-}" in
start | stop)
    exec "$root/eng/servers/redis.sh" "$1" "$folder"
    ;;
*)
    echo "usage: $0 start|stop   (the server's data is in $folder)" >&2
    exit 2
    ;;
esac
