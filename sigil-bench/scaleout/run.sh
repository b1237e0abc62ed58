#!/usr/bin/env bash
# The scale-out benchmark of issue 19 in one command (docs/benchmarks.md "Scale-out"): builds sigil-bench with the
# modules it needs and runs io.sigil.bench.scaleout.ScaleOutBench, which starts 3 `sigil serve` replicas (one new
# PostgreSQL database on localhost:5432, dropped after; one private redis-server), nginx with a copy of the shipped
# nginx/nginx.conf, and prints runs/s and p50/p99 with 1, 2, 3 replicas, the Redis limiter's cost and the cost of a
# recall's query vector (embedded / Redis hit / local hit). Needs nginx, openssl and redis-server (.ci/run installs them).
# Options go to the benchmark: --clients 8 --round-seconds 15 --only replicas|limiter|vectors
# MAVEN_ARGS="-o" runs Maven offline once the dependencies are downloaded.
set -euo pipefail
source "$(dirname "$0")/../bin/build-classpath"
exec "$JAVA_HOME/bin/java" -Xmx512m -cp "$bench_classpath" \
  io.sigil.bench.scaleout.ScaleOutBench "$@"
