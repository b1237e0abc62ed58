#!/usr/bin/env bash
# A/B of PostgreSQL appends at one writer count: the jars alternate, each JVM runs ROUNDS rounds of 5 s (default 2)
# and its last round is printed (appends/s of Sigil's store and of the one-INSERT-per-transaction baseline, their ratio,
# the load average, Sigil's CPU per append).
#   bash sigil-bench/postgres/appends-ab.sh <pairs> <jar> [<jar> ...]
#   THREADS=platform|virtual (default virtual)  WRITERS=256  DESIGNS=postgres,pg-insert-per-tx  ROUNDS=2
# (the JIT is still compiling in round 2: the JVM's CPU per append falls by about a third from round 2 to round 3)
# Needs PostgreSQL on localhost:5432 (user postgres, trust), as PostgresStoreBench does.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
source "$here/bin/find-java"
rounds=$1; shift
writers=${WRITERS:-256}
last=${ROUNDS:-2}
for _ in $(seq 1 "$rounds"); do
  for jar in "$@"; do
    out=$("$JAVA_HOME/bin/java" -Dsigil.bench.replay=false -Dsigil.bench.threads="${THREADS:-virtual}" \
      -Dsigil.bench.writers="$writers" -Dsigil.bench.designs="${DESIGNS:-postgres,pg-insert-per-tx}" \
      -cp "$jar" io.sigil.bench.postgres.PostgresStoreBench "$last" 5 2>&1 | grep -v INFO)
    pg=$(grep "round $last: postgres, " <<<"$out" | sed 's/.*: //;s/ appends.s//;s/,//g')
    base=$(grep "round $last: pg-insert-per-tx, " <<<"$out" | sed 's/.*: //;s/ appends.s//;s/,//g' || true)
    cpu=$(grep "postgres $writers: CPU" <<<"$out" | tail -1 | sed 's/.*append //')
    ratio=$([ -n "$base" ] && awk -v a="$pg" -v b="$base" 'BEGIN { printf "%.2fx", a / b }' || echo "-")
    echo "$(basename "$jar") postgres=$pg baseline=${base:--} ratio=$ratio load=$(cut -d' ' -f1 /proc/loadavg) cpu: $cpu"
  done
done
