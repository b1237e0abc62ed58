#!/usr/bin/env bash
# The OpenAI-compatible path against the native run endpoint, same agent, offline test model (docs/benchmarks.md,
# "OpenAI-compatible API"). Starts `sigil serve` from the built jar in a temporary state directory as
# run-agent-wrk.sh does (memory, planning and contracts off), creates the agent, then runs OpenAiOverhead.java.
# Usage: sigil-bench/http/run-openai-overhead.sh [rounds] [requests per round] [clients]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
jar="${SERVER_JAR:-$root/sigil-server/target/sigil-server-0.1.0-SNAPSHOT.jar}"
work="$(mktemp -d)"
port="${PORT:-18086}"
export SIGIL_SECURITY__JWT_SECRET="bench-secret-0123456789-abcdefghijklmnop"
export SIGIL_SECURITY__RATE_LIMIT_PER_MINUTE=1000000
export SIGIL_STATE__DATA_DIR="$work/state" SIGIL_MEMORY__DATA_DIR="$work/memory" SIGIL_AGENTS__DIR="$work/agents"
export SIGIL_CONTRACTS__DIR="$work/contracts" SIGIL_LLM__MODEL=test
export SIGIL_LOGGING__LEVEL=INFO SIGIL_LOGGING__FORMAT=json SIGIL_LOGGING__FILE="$work/sigil.log"
export SIGIL_FEATURES__MEMORY=false SIGIL_FEATURES__PLANNING=false SIGIL_FEATURES__CONTRACTS=false
"$java" -XX:MaxGCPauseMillis=20 -jar "$jar" serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
token="$("$java" -jar "$jar" token create --sub bench --scopes runs:execute,agents:write --ttl 1h | tail -1)"
curl -sf -X POST "http://127.0.0.1:$port/agents" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name": "bench_agent", "description": "benchmark", "system_prompt": "Answer briefly.", "model": "test", "memory_enabled": false}' >/dev/null
echo "load before: $(uptime)"
"$java" "$here/OpenAiOverhead.java" "http://127.0.0.1:$port" "$token" "$server" "${1:-7}" "${2:-2000}" "${3:-8}"
echo "load after: $(uptime)"
