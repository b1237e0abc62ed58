#!/usr/bin/env bash
# HTTP benchmark of `sigil serve` /health against a bare Javalin baseline, 64 and 256 connections.
# Usage (from the repository root, after
#   ./mvnw -B -o package -pl sigil-server,sigil-bench -am -DskipTests):
#   sigil-bench/http/run-wrk.sh [duration, default 15s]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bin/find-java
DURATION=${1:-15s}
JAVA="$JAVA_HOME/bin/java"
WORK=$(mktemp -d)
trap 'kill $SIGIL_PID $BARE_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

JAR=$PWD/sigil-server/target/sigil-server-0.1.0-SNAPSHOT.jar
# Sigil logs as configured by its settings (defaults: INFO, one access line per request on stderr, written by a
# background thread); the Logback file below only configures the baseline, which has no logging of its own.
(cd "$WORK" && exec "$JAVA" -Xmx512m -jar "$JAR" serve --host 127.0.0.1 --port 8090) > "$WORK/sigil.out" 2>&1 &
SIGIL_PID=$!
"$JAVA" -Xmx512m -Dlogback.configurationFile="$PWD/sigil-bench/http/logback-bench.xml" \
    -cp sigil-bench/target/benchmarks.jar io.sigil.bench.http.BareJavalinHealth 8091 > "$WORK/bare.out" 2>&1 &
BARE_PID=$!
for port in 8090 8091; do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
done
echo "nproc: $(nproc)  java: $("$JAVA" -version 2>&1 | head -1)"
echo "load before: $(uptime)"
for target in "sigil 8090" "bare-javalin 8091"; do
  set -- $target
  wrk -t2 -c64 -d5s "http://127.0.0.1:$2/health" > /dev/null   # warm-up (JIT)
  for conns in 64 256; do
    echo "== $1 /health, $conns connections, $DURATION"
    wrk -t2 -c$conns -d"$DURATION" --latency "http://127.0.0.1:$2/health" | grep -E 'Requests/sec|Latency  |99%|50%|Non-2xx|Socket errors'
  done
done
echo "load after: $(uptime)"
