#!/usr/bin/env bash
# Start-up time of the distribution (issue 16, point 5), measured with hyperfine in interleaved rounds:
#   bash sigil-bench/startup/startup-bench.sh [BASELINE_CHECKOUT] [ROUNDS] [RUNS_PER_ROUND]
# Compares, on the same machine in the same run:
#   version-nocache   java -jar ... --version, the JDK's default CDS only
#   version-appcds    the previous launcher: a dynamic AppCDS archive (-XX:+AutoCreateSharedArchive)
#   version-aot       this launcher: the JDK 25 AOT cache made by bin/sigil's training run
#   run-baseline-*    `run --model test hello` with config/development.yaml (memory on) on BASELINE_CHECKOUT's jar
#                     (default: none) with its launcher's AppCDS archive: the old start-up
#   run-aot           the same run on this checkout's jar with the AOT cache
# Each round runs every command RUNS_PER_ROUND times (after 1 warm-up); the summary prints each command's median
# over all runs, min, max and the mean CPU time (user + sys, less sensitive to the shared load than wall time). Needs hyperfine and jq (apt-get install).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
base="${1:-}"
rounds="${2:-3}"
runs="${3:-5}"
source "$here/bin/find-java"
java="$JAVA_HOME/bin/java"
jar_of() { ls "$1"/sigil-server/target/sigil-server-*.jar | grep -v -- '-tests.jar' | head -1; }
jar=$(jar_of "$here")
target="$here/sigil-server/target"
[ -f "$target/sigil.aot" ] || { echo "run bin/sigil --version once first (it makes $target/sigil.aot)" >&2; exit 2; }
scratch=$(mktemp -d -t sigil-startup.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
flags="-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr -Xlog:aot*=off:stderr --enable-native-access=ALL-UNNAMED -XX:MaxGCPauseMillis=20"
env_run="SIGIL_CONFIG_DIR=$here/config SIGIL_STATE_DATA_DIR=$scratch/state SIGIL_MEMORY_DATA_DIR=$scratch/memory SIGIL_AGENTS_DIR=$scratch/agents"
declare -a names cmds
add() { names+=("$1"); cmds+=("$2"); }
add version-nocache "$java $flags -jar $jar --version"
add version-appcds "$java -XX:SharedArchiveFile=$scratch/new.jsa -XX:+AutoCreateSharedArchive $flags -jar $jar --version"
add version-aot "$java -XX:AOTCache=$target/sigil.aot $flags -jar $jar --version"
if [ -n "$base" ]; then
  bjar=$(jar_of "$base")
  add run-baseline-appcds "env $env_run $java -XX:SharedArchiveFile=$scratch/base.jsa -XX:+AutoCreateSharedArchive $flags -jar $bjar run --model test --quiet hello"
fi
add run-aot "env $env_run $java -XX:AOTCache=$target/sigil.aot $flags -jar $jar run --model test --quiet hello"
# The AppCDS archives are written at exit of a first run, as the old launcher did.
for c in "${cmds[@]}"; do bash -c "$c" >/dev/null 2>&1 || true; done
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  args=()
  for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$scratch/round-$r.json" "${args[@]}" >/dev/null 2>&1 \
    || hyperfine --warmup 1 --runs "$runs" --export-json "$scratch/round-$r.json" "${args[@]}" >/dev/null
  echo "round $r done; load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
jq -s -r '
  [.[].results[]] | group_by(.command)
  | map({name: .[0].command, times: ([.[].times[]] | sort), cpu: ([.[] | .user + .system] | add / length)})
  | map(. + {median: (.times | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end)})
  | .[] | "\(.name)\twall median \(.median * 1000 | round) ms\tmin \(.times[0] * 1000 | round) ms\tmax \(.times[-1] * 1000 | round) ms\tcpu (user+sys, mean) \(.cpu * 1000 | round) ms\tn=\(.times | length)"' \
  "$scratch"/round-*.json
