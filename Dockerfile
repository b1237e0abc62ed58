# syntax=docker/dockerfile:1
# Sigil API image. Build: docker build -t sigil:0.1.0-SNAPSHOT .   Run: see README "Deploy" and docker-compose.yml.
#
# Stage 1 builds with the Maven wrapper and assembles a jlink-trimmed runtime through deploy/assemble-runtime.sh,
# the same script CI runs outside a container (SigilRuntimeImageIT), so what CI starts and health-checks is what
# this image contains. Stage 2 is a slim Debian with that runtime, run as the non-root user `sigil`.

ARG JDK_IMAGE=eclipse-temurin:21-jdk
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${JDK_IMAGE} AS build
WORKDIR /src
# Dependencies first, so a change in the sources alone reuses the downloaded Maven and libraries.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY sigil-bom/pom.xml sigil-bom/
COPY sigil-core/pom.xml sigil-core/
COPY sigil-test-support/pom.xml sigil-test-support/
COPY sigil-memory/pom.xml sigil-memory/
COPY sigil-anthropic/pom.xml sigil-anthropic/
COPY sigil-openai/pom.xml sigil-openai/
COPY sigil-postgres/pom.xml sigil-postgres/
COPY sigil-redis/pom.xml sigil-redis/
COPY sigil-mcp/pom.xml sigil-mcp/
COPY sigil-tools/pom.xml sigil-tools/
COPY sigil-server/pom.xml sigil-server/
COPY sigil-bench/pom.xml sigil-bench/
COPY bin/find-java bin/
COPY sigil-core/src/ sigil-core/src/
COPY sigil-test-support/src/ sigil-test-support/src/
COPY sigil-memory/src/ sigil-memory/src/
COPY sigil-anthropic/src/ sigil-anthropic/src/
COPY sigil-openai/src/ sigil-openai/src/
COPY sigil-postgres/src/ sigil-postgres/src/
COPY sigil-redis/src/ sigil-redis/src/
COPY sigil-mcp/src/ sigil-mcp/src/
COPY sigil-tools/src/ sigil-tools/src/
COPY sigil-server/src/ sigil-server/src/
COPY config/ config/
COPY deploy/assemble-runtime.sh deploy/
RUN --mount=type=cache,target=/root/.m2 deploy/assemble-runtime.sh /opt/sigil

FROM ${BASE_IMAGE}
# curl for HEALTHCHECK only; ca-certificates for the LLM providers' HTTPS.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin sigil
WORKDIR /app
COPY --from=build /opt/sigil/ /opt/sigil/
COPY --from=build /opt/sigil/config/ /app/config/
RUN mkdir -p /app/data/memory /app/data/state /app/logs /app/agents /app/contracts \
    && chown -R sigil:sigil /app
USER sigil

# The guide's defaults (section 4.1) on Sigil's keys; everything else comes from the environment at run time.
ENV SIGIL_ENVIRONMENT=production \
    SIGIL_API_HOST=0.0.0.0 \
    SIGIL_API_PORT=8000 \
    SIGIL_MEMORY_DATA_DIR=/app/data/memory \
    SIGIL_STATE_DATA_DIR=/app/data/state \
    SIGIL_LOG_FILE=/app/logs/sigil.log \
    SIGIL_LOG_FORMAT=json \
    SIGIL_API_SHUTDOWN_GRACE_SECONDS=30

VOLUME ["/app/data", "/app/logs"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/health/ready || exit 1

# Exec form: the JVM is PID 1's child through sh's exec, so SIGTERM reaches it and the server drains gracefully.
ENTRYPOINT ["/opt/sigil/bin/sigil"]
CMD ["serve"]
