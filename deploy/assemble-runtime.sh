#!/usr/bin/env bash
# Builds Sigil with the Maven wrapper and assembles a self-contained runtime: a jlink-trimmed JDK holding only the
# modules the application needs (found with jdeps), the application jar with its libraries, the configuration
# files and a launcher. The Dockerfile runs this script in its build stage; CI runs the same script outside a
# container (SigilRuntimeImageIT) and starts and health-checks the result.
#
# Usage: deploy/assemble-runtime.sh [--no-build] [OUTPUT_DIR]   (default OUTPUT_DIR: target/sigil-runtime)
#   --no-build  use the sigil-server jar already built (by `./mvnw package` or `verify`) instead of building it.
#
# Result (OUTPUT_DIR):
#   bin/sigil          launcher: runs app/sigil-server.jar on the trimmed runtime; SIGIL_JAVA_OPTS adds JVM options
#   runtime/           the jlink image (java and the listed modules only)
#   app/               sigil-server.jar and lib/*.jar
#   config/            default.yaml, development.yaml, production.yaml
#   MODULES            the modules linked, for review
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
out=${1:-target/sigil-runtime}
case "$out" in /*) ;; *) out="$root/$out" ;; esac

source bin/find-java
export JAVA_HOME
java_major=$(_sigil_java_major "$JAVA_HOME")
[ -d "$JAVA_HOME/jmods" ] || [ -f "$JAVA_HOME/lib/modules" ] || {
  echo "assemble-runtime: $JAVA_HOME has no jmods or module image; jlink needs a full JDK" >&2; exit 2; }

if [ "$build" -eq 1 ]; then
  echo "assemble-runtime: building with the Maven wrapper (JDK $java_major)" >&2
  maven_opts="${MAVEN_OPTS:-}"
  [ "$java_major" -ge 24 ] 2>/dev/null && maven_opts="$maven_opts --sun-misc-unsafe-memory-access=allow"
  MAVEN_OPTS="$maven_opts" ./mvnw -B -q -pl sigil-server -am package -DskipTests
fi

target="$root/sigil-server/target"
jar=""
for f in "$target"/sigil-server-*.jar; do
  case "$f" in *-tests.jar|*-sources.jar|*-javadoc.jar) continue ;; esac
  [ -f "$f" ] && jar="$f"
done
if [ -z "$jar" ] || [ ! -d "$target/lib" ]; then
  echo "assemble-runtime: no sigil-server jar with lib/ in $target; run without --no-build" >&2
  exit 2
fi

rm -rf "$out"
mkdir -p "$out/app/lib" "$out/bin" "$out/config"
cp "$jar" "$out/app/sigil-server.jar"
cp "$target"/lib/*.jar "$out/app/lib/"
cp config/*.yaml "$out/config/"

# The modules the application and its libraries use. --ignore-missing-deps: optional integrations of some
# libraries (e.g. Jetty's JPMS-less extras) reference classes that are not on the class path and never load.
echo "assemble-runtime: finding the modules needed (jdeps)" >&2
modules=$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$java_major" \
  --class-path "$out/app/lib/*" "$out/app/sigil-server.jar" | tail -1)
# Loaded reflectively or by service lookup, which jdeps cannot see: TLS elliptic curves and the DNS provider
# (provider HTTPS calls), the management extensions (Micrometer's process metrics), zipfs (jars inside jars),
# Unsafe (Lucene, Netty) and the locale data (date and number formats in logs).
# jdk.incubator.vector: Lucene's SIMD vector search, added by the launcher for `serve` (see bin/sigil).
extra="jdk.crypto.ec,jdk.naming.dns,jdk.management,jdk.zipfs,jdk.unsupported,jdk.localedata,jdk.crypto.cryptoki,jdk.incubator.vector"
all=$(printf '%s,%s' "$modules" "$extra" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)
available=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' | paste -sd, -)
linked=""
for m in ${all//,/ }; do
  case ",$available," in *",$m,"*) linked="${linked:+$linked,}$m" ;; esac
done

echo "assemble-runtime: linking $linked" >&2
"$JAVA_HOME/bin/jlink" --add-modules "$linked" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$out/runtime"
echo "$linked" | tr ',' '\n' > "$out/MODULES"

cat > "$out/bin/sigil" <<'LAUNCHER'
#!/bin/sh
# Sigil on its trimmed runtime. SIGIL_JAVA_OPTS adds JVM options (e.g. -Xmx2g). The default heap is 75% of the
# container's memory limit: the rest is for the embedding model's native memory and metaspace.
home=$(cd "$(dirname "$0")/.." && pwd)
# Docker and Kubernetes secrets arrive as files: NAME_FILE=/run/secrets/x sets NAME to the file's content, for the
# secret settings (the config catalogue's secret keys; DockerfileTest keeps this list equal to them).
secret_names="SIGIL_JWT_SECRET ANTHROPIC_API_KEY OPENAI_API_KEY TAVILY_API_KEY ELEVENLABS_API_KEY TWILIO_AUTH_TOKEN GOOGLE_CALENDAR_CREDENTIALS HUBSPOT_API_KEY SIGIL_MCP_SERVERS DATABASE_URL REDIS_URL"
for name in $secret_names; do
  eval "file=\${${name}_FILE:-}"
  [ -n "$file" ] || continue
  if [ ! -r "$file" ]; then
    echo "sigil: ${name}_FILE names $file, which cannot be read; mount the secret there or unset ${name}_FILE" >&2
    exit 2
  fi
  export "$name=$(cat "$file")"
  unset "${name}_FILE"
done
# `serve` gets the JDK's Vector API for Lucene's vector search (the image's default command; see bin/sigil).
vector=""
[ "${1:-}" = serve ] && vector="--add-modules=jdk.incubator.vector"
# shellcheck disable=SC2086
exec "$home/runtime/bin/java" -XX:MaxRAMPercentage=75 -XX:MaxGCPauseMillis=20 \
  -Xlog:disable -Xlog:all=warning:stderr --enable-native-access=ALL-UNNAMED $vector \
  ${SIGIL_JAVA_OPTS:-} -jar "$home/app/sigil-server.jar" "$@"
LAUNCHER
chmod +x "$out/bin/sigil"
echo "assemble-runtime: done: $out ($(du -sh "$out" | cut -f1); runtime $(du -sh "$out/runtime" | cut -f1))" >&2
