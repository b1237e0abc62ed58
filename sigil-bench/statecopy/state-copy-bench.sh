#!/usr/bin/env bash
# Times `sigil state copy` of a file installation onto PostgreSQL and back (issue 18, "Moving a single-node install").
# Usage: sigil-bench/statecopy/state-copy-bench.sh [ITEMS] [SESSIONS] [EVENTS_PER_SESSION]
# Needs: sigil-bench/target/benchmarks.jar and sigil-server built (bin/sigil), PostgreSQL on localhost:5432 (postgres,
# trust). Creates and drops the database sigil_copybench (or $SIGIL_COPYBENCH_DB); works under a temporary directory it
# removes at the end. With SIGIL_COPYBENCH_FIXTURE=DIR the fixture is made once in DIR (kept) and copied for each run,
# so runs of two builds (old and new, interleaved) start from the same installation.
set -euo pipefail
ITEMS=${1:-100000}; SESSIONS=${2:-1000}; PER=${3:-20}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
source "$HERE/bin/find-java"
WORK=$(mktemp -d /tmp/sigil-copybench.XXXXXX)
DB=${SIGIL_COPYBENCH_DB:-sigil_copybench}
trap 'psql -U postgres -h localhost -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
psql -U postgres -h localhost -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql -U postgres -h localhost -qAtc "CREATE DATABASE $DB" >/dev/null

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
FIXTURE=${SIGIL_COPYBENCH_FIXTURE:-}
if [ -n "$FIXTURE" ] && [ -d "$FIXTURE" ]; then
    echo "fixture: a copy of $FIXTURE (made earlier: its sizes are the ones it was made with)"
else
    "$JAVA_HOME/bin/java" -Xmx3g -cp "$HERE/sigil-bench/target/benchmarks.jar" io.sigil.bench.memory.StateCopyFixture \
        "${FIXTURE:-$WORK/a}" "$ITEMS" "$SESSIONS" "$PER"
fi
[ -n "$FIXTURE" ] && cp -a "$FIXTURE" "$WORK/a"

run() { # name, root, command...
    local name=$1 root=$2; shift 2
    local start end
    start=$(date +%s.%N)
    env SIGIL_STATE__DATA_DIR="$root/state" SIGIL_MEMORY__DATA_DIR="$root/memory" SIGIL_USE_MEMORY=true \
        DATABASE_URL="postgresql://postgres@localhost:5432/$DB" SIGIL_LOG_LEVEL=WARN \
        /usr/bin/time -f "$name: %e s wall, %U s user, %S s sys, %M KB max RSS" "$HERE/bin/sigil" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" \
        || { echo "$name FAILED"; cat "$WORK/$name.out" "$WORK/$name.err"; exit 1; }
    end=$(date +%s.%N)
    tail -1 "$WORK/$name.err"
    grep -E "^\s*(events|memory|memory_vectors|api_keys|agents|contracts)\b" "$WORK/$name.out" | sed 's/^/    /'
}
echo "load before the copies: $(cut -d' ' -f1-3 /proc/loadavg)"
run file-to-postgres "$WORK/a" state copy --from file --to postgres
run file-to-postgres-rerun "$WORK/a" state copy --from file --to postgres
run postgres-to-file "$WORK/b" state copy --from postgres --to file
if [ -d "$WORK/b/memory/projections" ]; then
    echo "    left in the file installation's memory.data_dir: projections/ ($(du -sh "$WORK/b/memory/projections" | cut -f1))"
else
    echo "    nothing left in the file installation's memory.data_dir but its own store"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
