#!/usr/bin/env bash
# The test command (README.md): starts the servers the tests talk to, runs every test project, stops the servers.
# On a fresh Debian machine it installs what is missing (each server script does, with apt-get, when run as root).
#
#   eng/test.sh                         # everything, Release
#   eng/test.sh --filter '~Sqlite'      # extra arguments go to dotnet test
#
# Each eng/servers/<name>.sh takes "start <folder>" (install if missing, start on 127.0.0.1 on a non-default port with
# its data in <folder>, print NAME=VALUE lines: the environment the tests read to reach it) and "stop <folder>".
# A developer can start the same servers by hand: eng/servers/<name>.sh start <folder>, then export what it printed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/herald-test.XXXXXX")"
started=()

stop_servers() {
    local status=$?
    for script in "${started[@]}"; do
        "$script" stop "$work/$(basename "$script" .sh)" || echo "eng/test.sh: stopping $(basename "$script" .sh) failed" >&2
    done
    rm -rf "$work"
    exit "$status"
}
trap stop_servers EXIT

shopt -s nullglob
for script in "$root"/eng/servers/*.sh; do
    name="$(basename "$script" .sh)"
    mkdir -p "$work/$name"
    echo "=== starting $name"
    output="$("$script" start "$work/$name")"
    started+=("$script")
    while IFS= read -r line; do
        if [[ "$line" =~ ^([A-Z_][A-Z0-9_]*)=(.*)$ ]]; then
            export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
            echo "    ${BASH_REMATCH[1]} set"
        elif [[ -n "$line" ]]; then
            echo "    $line"
        fi
    done <<< "$output"
done
shopt -u nullglob

dotnet test Generated.sln -c Release "$@"
