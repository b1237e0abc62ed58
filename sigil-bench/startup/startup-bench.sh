#!/usr/bin/env bash
# Start-up time of the distribution (issue 16, point 5), measured with hyperfine in interleaved rounds:
#   bash sigil-bench/startup/startup-bench.sh [BASELINE_CHECKOUT] [ROUNDS] [RUNS_PER_ROUND]
# BASELINE_CHECKOUT (optional) is another checkout (or a copy of its bin/ and sigil-server/target/) whose
# distribution is built and whose bin/sigil has made its AOT cache (run its `bin/sigil --version` once).
# Compared on the same machine in the same run, each command as the launcher of its checkout runs it:
#   version-base-aot    the baseline: its jar, --version with its launcher's AOT cache
#   version-nocache     this jar, --version without a cache (what this bin/sigil does for a lone --version)
#   version-aot         this jar, --version with the AOT cache (to show why the launcher skips it there)
#   version-launcher    this checkout's bin/sigil --version (bash, JDK lookup and staleness check included)
#   run-base-aot        the baseline: `run --model test --quiet hello`, config/development.yaml (memory on)
#   run-aot             the same run on this jar with the AOT cache and the extracted ONNX Runtime library
#   run-aot-rules       run-aot with guard.detector=rules (memory still on): what the learned guard adds
# Local embedding models are read from $SIGIL_CACHE_DIR/models (default ~/.cache/sigil/models), which the first run
# that embeds fills (bin/sigil's AOT training run does): the figures are for every later start.
# Each round runs every command RUNS_PER_ROUND times (after 1 warm-up); the summary prints each command's median
# over all runs, min, max and the mean CPU time (user + sys, less sensitive to the shared load than wall time).
# Needs hyperfine and jq (apt-get install).
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
"$here/bin/sigil" config show >/dev/null 2>&1 || true   # makes the AOT cache and the extracted native library
[ -f "$target/sigil.aot" ] || { echo "bin/sigil did not make $target/sigil.aot" >&2; exit 2; }
ort=$(ls -d "$target"/native/*/ai/onnxruntime/native/* 2>/dev/null | head -1)
scratch=$(mktemp -d -t sigil-startup.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
flags="-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr -Xlog:aot*=off:stderr --enable-native-access=ALL-UNNAMED -XX:MaxGCPauseMillis=20"
# Each jar keeps its own state and memory directories (they grow by one exchange per run).
env_run() { echo "SIGIL_CONFIG_DIR=$here/config SIGIL_STATE_DATA_DIR=$scratch/$1/state SIGIL_MEMORY_DATA_DIR=$scratch/$1/memory SIGIL_AGENTS_DIR=$scratch/$1/agents"; }
declare -a names cmds
add() { names+=("$1"); cmds+=("$2"); }
if [ -n "$base" ]; then
  bjar=$(jar_of "$base")
  [ -f "$base/sigil-server/target/sigil.aot" ] || { echo "run $base/bin/sigil --version once first" >&2; exit 2; }
  add version-base-aot "$java -XX:AOTCache=$base/sigil-server/target/sigil.aot $flags -jar $bjar --version"
fi
add version-nocache "$java $flags -jar $jar --version"
add version-aot "$java -XX:AOTCache=$target/sigil.aot $flags -jar $jar --version"
add version-launcher "$here/bin/sigil --version"
if [ -n "$base" ]; then
  add run-base-aot "env $(env_run base) $java -XX:AOTCache=$base/sigil-server/target/sigil.aot $flags -jar $bjar run --model test --quiet hello"
fi
add run-aot "env $(env_run new) $java -XX:AOTCache=$target/sigil.aot $flags ${ort:+-Donnxruntime.native.path=$ort} -jar $jar run --model test --quiet hello"
add run-aot-rules "env $(env_run rules) SIGIL_GUARD_DETECTOR=rules $java -XX:AOTCache=$target/sigil.aot $flags ${ort:+-Donnxruntime.native.path=$ort} -jar $jar run --model test --quiet hello"
# What a user types: each checkout's bin/sigil (its JDK lookup, cache and JVM flags), same config and data dirs.
[ -n "$base" ] && add run-base-launcher "env $(env_run base-launcher) $base/bin/sigil run --model test --quiet hello"
add run-launcher "env $(env_run launcher) $here/bin/sigil run --model test --quiet hello"
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
