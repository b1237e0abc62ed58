#!/usr/bin/env bash
# The peer benchmark in one command: builds sigil-bench (with the modules it needs) and runs
# io.sigil.bench.peers.PeerBenchmark, which starts its own fake OpenAI server and prints the tables.
# Options go to the benchmark, e.g.: sigil-bench/peers/run.sh --rounds 5 --tasks 300 --seconds 4
# MAVEN_ARGS="-o" runs Maven offline once the dependencies are downloaded.
set -euo pipefail
source "$(dirname "$0")/../bin/build-classpath"
exec "$JAVA_HOME/bin/java" -Xmx256m -cp "$bench_classpath" \
  io.sigil.bench.peers.PeerBenchmark "$@"
