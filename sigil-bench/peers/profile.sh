#!/usr/bin/env bash
# One contender of the peer benchmark alone, for profiling: the fake server and one PeerWorker JVM, warmed up
# (3000 S1 + 1500 S2 tasks), then 1000 S1 and 500 S2 tasks measured twice. Prints the worker's result lines
# (CPU ns/task, allocated bytes/task, -, p50 ns, p99 ns, requests/task, request bytes/task).
#   sigil-bench/peers/profile.sh sigil                   # figures only
#   sigil-bench/peers/profile.sh sigil target/sigil.jfr  # and a JFR recording (settings=profile, deep stacks)
# It builds sigil-bench first, as run.sh does (MAVEN_ARGS=-o for offline).
set -euo pipefail
contender=${1:?usage: profile.sh raw|sigil|langchain4j [recording.jfr]}
source "$(dirname "$0")/../bin/build-classpath"
cp="$bench_classpath"
jfr=()
[ -n "${2:-}" ] && jfr=(-XX:FlightRecorderOptions:stackdepth=256 "-XX:StartFlightRecording=filename=$2,settings=profile")
coproc server { exec "$JAVA_HOME/bin/java" -Xmx512m -cp "$cp" io.sigil.bench.peers.PeerFakeServer; }
trap 'kill $server_PID 2>/dev/null || true' EXIT
read -r line <&"${server[0]}"
printf '%s\n' "warmup S1 3000" "warmup S2 1500" "measure S1 1000 0 1" "measure S2 500 0 1" \
  "measure S1 1000 0 1" "measure S2 500 0 1" quit \
  | "$JAVA_HOME/bin/java" -Xmx512m -XX:+UseG1GC "${jfr[@]}" -cp "$cp" io.sigil.bench.peers.PeerWorker \
      "$contender" "${line#base-url }" | grep '^@@ result'
