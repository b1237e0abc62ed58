#!/usr/bin/env bash
# Load test of POST /agents/{name}/run with the offline test model (see docs/benchmarks.md, "HTTP server").
# Starts `sigil serve` from the built jar in a temporary state directory, mints a token, creates the agent,
# then runs wrk at each connection count: /health (baseline) and runs as fast as they go (saturation), and
# with PACE_RPS=<n> also runs offered at about n per second (each connection pauses connections*1000/n ms
# between requests). Usage: [PACE_RPS=5000] sigil-bench/http/run-agent-wrk.sh [seconds] [connections...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
secs="${1:-10}"; shift || true
conns=("${@:-64 256}")
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
jar="${SERVER_JAR:-$root/sigil-server/target/sigil-server-0.1.0-SNAPSHOT.jar}"   # SERVER_JAR: compare another build
work="$(mktemp -d)"
port=18080
export SIGIL_SECURITY__JWT_SECRET="bench-secret-0123456789-abcdefghijklmnop"
export SIGIL_SECURITY__RATE_LIMIT_PER_MINUTE=1000000   # the maximum; JWT requests share the client address's bucket
export SIGIL_STATE__DATA_DIR="$work/state" SIGIL_MEMORY__DATA_DIR="$work/memory" SIGIL_AGENTS__DIR="$work/agents"
export SIGIL_CONTRACTS__DIR="$work/contracts" SIGIL_LLM__MODEL=test
# Logging as in production: INFO, JSON, one access line per request to stderr and to a rolling file (both written
# by background threads in `sigil serve`).
export SIGIL_LOGGING__LEVEL=INFO SIGIL_LOGGING__FORMAT=json SIGIL_LOGGING__FILE="${LOG_FILE-$work/sigil.log}"
# Measure the run path itself: no memory (each run would otherwise index the exchange), no contracts or planning.
export SIGIL_FEATURES__MEMORY=false SIGIL_FEATURES__PLANNING=false SIGIL_FEATURES__CONTRACTS=false
ulimit -n 65536 2>/dev/null || true   # 1,024 connections need more than the default 1,024 descriptors
# G1 with a 20 ms pause goal, as bin/sigil starts the server: the default goal (200 ms) let young collections
# of a growing heap take 60-180 ms, which was the whole p99 of paced runs.
# SERVER_JVM_OPTS: extra JVM options for the server (GC logging, profiler agents), split on spaces.
"$java" -XX:MaxGCPauseMillis=${GC_PAUSE_MS:-20} ${SERVER_JVM_OPTS:-} -jar "$jar" serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT   # KEEP_WORK=1: print the work dir, keep it
[ -n "${KEEP_WORK:-}" ] && { trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT; echo "work dir: $work"; }
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
token="$("$java" -jar "$jar" token create --sub bench --scopes runs:execute,agents:write --ttl 1h | tail -1)"
curl -sf -X POST "http://127.0.0.1:$port/agents" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name": "bench_agent", "description": "benchmark", "system_prompt": "Answer briefly.", "model": "test", "memory_enabled": false}' >/dev/null
export SIGIL_TOKEN="$token"
# The server's CPU time (user + system, from /proc) per request: unlike requests/s it hardly depends on what
# else the machine is running, so it compares builds measured under different load.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)
measure() { # label, wrk script, url
  local before after out n
  before=$(cpu_ticks)
  out=$(/usr/bin/time -f "%U %S" -o "$work/wrk.time" wrk -t2 -c"$c" -d"${secs}s" --timeout 10s -s "$2" "$3" | tail -1)
  after=$(cpu_ticks)
  n=$(sed -n 's/.*requests \([0-9]*\).*/\1/p' <<<"$out")
  awk -v l="$1" -v o="$out" -v t=$((after - before)) -v hz="$hz" -v n="${n:-1}" \
    -v w="$(awk '{print $1 + $2}' "$work/wrk.time")" -v secs="$secs" \
    'BEGIN { printf "%s %s  server CPU %.0f us/request  wrk CPU %.0f%%\n", l, o, t * 1e6 / hz / n, w * 100 / secs }'
}
# Warm-up (JIT) of both endpoints, not measured: otherwise the first phase pays for compilation.
wrk -t2 -c64 -d10s "http://127.0.0.1:$port/health" >/dev/null
wrk -t2 -c64 -d10s --timeout 10s -s "$here/agent-run.lua" "http://127.0.0.1:$port" >/dev/null
for c in ${conns[@]}; do
  echo "== $c connections, ${secs}s"
  if [ -z "${PACED_ONLY:-}" ]; then   # PACED_ONLY=1: skip /health and the saturated runs
    measure 'GET /health            ' "$here/health-report.lua" "http://127.0.0.1:$port/health"
    measure 'POST /agents/{name}/run' "$here/agent-run.lua" "http://127.0.0.1:$port"
  fi
  if [ -n "${PACE_RPS:-}" ]; then
    DELAY_MS=$(( c * 1000 / PACE_RPS )) measure "POST run paced ${PACE_RPS}/s" "$here/agent-run.lua" "http://127.0.0.1:$port"
  fi
done
