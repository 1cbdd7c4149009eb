#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: with-postgres.sh CMD [ARG…]
#
# Creates a cluster with the machine's initdb/pg_ctl in a temporary directory, starts it on a
# free port on 127.0.0.1 (socket in the same directory), exports DATABASE_URL for CMD, and
# always stops and removes the cluster afterwards. As root, the server runs as `postgres`.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARG…]" >&2
    exit 64
fi

find_bin() {
    if command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
        return
    fi
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$candidate" ]; then
        echo "错误：找不到 $1，请先安装 PostgreSQL（scripts/setup-system.sh）" >&2
        exit 69
    fi
    echo "$candidate"
}
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

PGTMP=$(mktemp -d /tmp/jixiao-pg.XXXXXX)
chmod 755 "$PGTMP"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PGTMP"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
    as_owner "$PG_CTL" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
}
trap cleanup EXIT INT TERM

as_owner "$INITDB" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; exit 1; }
# fsync off: a test cluster that is thrown away needs no durability, and it makes DDL fast.
as_owner "$PG_CTL" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
    -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$PGTMP/server.log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "PostgreSQL $("$PG_CTL" --version | awk '{print $3}') on 127.0.0.1:$PORT (temporary)" >&2
set +e
"$@"
status=$?
set -e
exit $status
