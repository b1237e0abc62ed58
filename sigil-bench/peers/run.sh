#!/usr/bin/env bash
# The peer benchmark in one command: builds sigil-bench (with the modules it needs) and runs
# io.sigil.bench.peers.PeerBenchmark, which starts its own fake OpenAI server and prints the tables.
# Options go to the benchmark, e.g.: sigil-bench/peers/run.sh --rounds 5 --tasks 300 --seconds 4
# MAVEN_ARGS="-o" runs Maven offline once the dependencies are downloaded.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bin/find-java
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
./mvnw -B -q ${MAVEN_ARGS:-} -pl sigil-bench -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt >&2
cd sigil-bench
exec "$JAVA_HOME/bin/java" -Xmx256m -cp "target/classes:$(cat target/classpath.txt)" \
  io.sigil.bench.peers.PeerBenchmark "$@"
