#!/usr/bin/env bash
# Slow-header clients against `sigil serve`, connection limits on (defaults) and off, in interleaved rounds.
# Usage: sigil-bench/http/run-slow-clients.sh [connections=2000] [hold_seconds=15] [rounds=3]
# Needs: ./mvnw -B -o package -pl sigil-server,sigil-bench -am -DskipTests (the server jar and the bench classes).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-2000}; HOLD=${2:-15}; ROUNDS=${3:-3}
JAR=$(ls sigil-server/target/sigil-server-*.jar | grep -v -- '-tests' | head -1)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
serve() { # $1 label, rest: env
  local label=$1; shift
  local dir; dir=$(mktemp -d)
  env "$@" SIGIL_STATE_DATA_DIR="$dir/state" SIGIL_MEMORY_DATA_DIR="$dir/memory" SIGIL_LLM_MODEL=test \
    SIGIL_LOG_LEVEL=WARN "$JAVA" -Xmx512m -jar "$JAR" serve --host 127.0.0.1 --port 18431 >"$dir/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:18431/health && break; sleep 0.5; done
  "$JAVA" -cp sigil-bench/target/classes io.sigil.bench.http.SlowHeaderClients 127.0.0.1:18431 "$N" "$HOLD" "$label"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
echo "uptime before: $(uptime)"
for r in $(seq 1 "$ROUNDS"); do
  serve "limits on  (round $r)"
  serve "limits off (round $r)" SIGIL_API_REQUEST_HEADER_TIMEOUT_SECONDS=3600 SIGIL_API_MAX_CONNECTIONS_PER_CLIENT=1000000 \
    SIGIL_API_MAX_CONNECTIONS=1000000 SIGIL_API_MIN_REQUEST_BYTES_PER_SECOND=0
done
echo "uptime after: $(uptime)"
