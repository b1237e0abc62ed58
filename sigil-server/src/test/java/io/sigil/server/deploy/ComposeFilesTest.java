package io.sigil.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.server.ServerRoutes;
import io.sigil.server.runs.RunDrain;
import io.sigil.server.runs.TrackedRuns;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, .dev.yml and .prod.yml: the compose specification's essentials (services with an image or a
 * build, declared volumes, networks and secrets, healthchecks in exec form, depends_on naming services) and
 * agreement with the code (environment names and values from the config catalogue, the health path and port,
 * the image tag, a stop grace covering the drain).
 */
class ComposeFilesTest {
    static final List<String> FILES = List.of("docker-compose.yml", "docker-compose.dev.yml", "docker-compose.prod.yml");

    @Test
    void everyFileFollowsTheComposeEssentials() {
        JsonNode base = DeployFiles.yaml("docker-compose.yml");
        Set<String> baseServices = names(base.path("services"));
        assertThat(baseServices).contains("sigil-api", "postgres", "redis").doesNotContain("qdrant");
        List<String> problems = new ArrayList<>();
        for (String f : FILES) {
            JsonNode doc = DeployFiles.yaml(f);
            assertThat(doc.has("version")).as(f + ": the top-level version is obsolete in the compose spec").isFalse();
            Set<String> services = new HashSet<>(baseServices);
            services.addAll(names(doc.path("services")));
            Set<String> volumes = new HashSet<>(names(base.path("volumes")));
            volumes.addAll(names(doc.path("volumes")));
            Set<String> networks = new HashSet<>(names(base.path("networks")));
            networks.addAll(names(doc.path("networks")));
            Set<String> secrets = names(doc.path("secrets"));
            doc.path("services").properties().forEach(e -> {
                String where = f + " service " + e.getKey();
                JsonNode s = e.getValue();
                if (f.equals("docker-compose.yml") || !baseServices.contains(e.getKey())) {
                    if (!s.has("image") && !s.has("build")) problems.add(where + ": neither image nor build");
                }
                for (JsonNode v : s.path("volumes")) {
                    String source = v.asText().split(":")[0];
                    if (!source.startsWith(".") && !source.startsWith("/") && !volumes.contains(source)) {
                        problems.add(where + ": volume " + source + " is not declared under volumes");
                    }
                }
                for (String n : s.path("networks").isObject() ? names(s.path("networks")) : texts(s.path("networks"))) {
                    if (!networks.contains(n)) problems.add(where + ": network " + n + " is not declared");
                }
                for (String n : texts(s.path("secrets"))) {
                    if (!secrets.contains(n)) problems.add(where + ": secret " + n + " is not declared");
                }
                for (String n : s.path("depends_on").isObject() ? names(s.path("depends_on")) : texts(s.path("depends_on"))) {
                    if (!services.contains(n)) problems.add(where + ": depends_on " + n + ", which is not a service");
                }
                JsonNode test = s.path("healthcheck").path("test");
                if (!test.isMissingNode() && !(test.isArray() && Set.of("CMD", "CMD-SHELL").contains(test.get(0).asText()))) {
                    problems.add(where + ": healthcheck test must be a list starting with CMD or CMD-SHELL");
                }
                for (JsonNode p : s.path("ports")) {
                    if (!p.asText().matches("(\\d+:)?\\d+(/(tcp|udp))?")) problems.add(where + ": port " + p.asText());
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyEnvironmentVariableOfSigilIsASettingWithAValidValue() {
        List<String> problems = new ArrayList<>();
        for (String f : FILES) {
            JsonNode env = DeployFiles.yaml(f).at("/services/sigil-api/environment");
            for (String[] kv : DeployFiles.environment(env)) {
                DeployFiles.envProblem(f, kv[0], kv[1]).ifPresent(problems::add);
            }
        }
        assertThat(problems).isEmpty();
        JsonNode env = DeployFiles.yaml("docker-compose.yml").at("/services/sigil-api/environment");
        assertThat(env.path("SIGIL_STATE_BACKEND").asText()).isEqualTo("postgres");
        assertThat(env.path("DATABASE_URL").asText()).startsWith("postgresql://sigil:").endsWith("@postgres:5432/sigil");
        assertThat(env.path("REDIS_URL").asText()).isEqualTo("redis://redis:6379/0");
    }

    @Test
    void healthcheckPortAndImageAgreeWithTheServer() {
        JsonNode api = DeployFiles.yaml("docker-compose.yml").at("/services/sigil-api");
        String url = api.at("/healthcheck/test").get(api.at("/healthcheck/test").size() - 1).asText();
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/\\S*)").matcher(url);
        assertThat(m.matches()).as(url).isTrue();
        assertThat(ServerRoutes.getPaths()).contains(m.group(2));
        assertThat(DeployFiles.read("Dockerfile")).contains("EXPOSE " + m.group(1));
        assertThat(api.path("ports").get(0).asText()).endsWith(":" + m.group(1));
        String version = DeployFiles.projectVersion();
        assertThat(api.path("image").asText()).endsWith(":" + version);
        assertThat(DeployFiles.yaml("docker-compose.prod.yml").at("/services/sigil-api/image").asText())
                .endsWith(":${VERSION:-" + version + "}");
    }

    @Test
    void productionRunsThreeReplicasBehindNginxOnAnInternalNetwork() {
        JsonNode prod = DeployFiles.yaml("docker-compose.prod.yml");
        assertThat(prod.at("/services/sigil-api/deploy/replicas").asInt()).isEqualTo(3);
        assertThat(prod.at("/networks/sigil-internal/internal").asBoolean()).isTrue();
        assertThat(texts(prod.at("/services/sigil-api/networks"))).containsExactly("sigil-internal");
        assertThat(texts(prod.at("/services/nginx/networks"))).contains("sigil-internal", "sigil-external");
        assertThat(prod.at("/services/nginx/volumes").toString()).contains("./nginx/nginx.conf:/etc/nginx/nginx.conf:ro");
        assertThat(prod.at("/secrets/jwt_secret/external").asBoolean()).isTrue();
        JsonNode env = prod.at("/services/sigil-api/environment");
        assertThat(env.path("SIGIL_JWT_SECRET_FILE").asText()).isEqualTo("/run/secrets/jwt_secret");
    }

    @Test
    void stopGracePeriodCoversTheDrain() {
        JsonNode api = DeployFiles.yaml("docker-compose.yml").at("/services/sigil-api");
        Matcher grace = Pattern.compile("SIGIL_API_SHUTDOWN_GRACE_SECONDS=(\\d+)").matcher(DeployFiles.read("Dockerfile"));
        assertThat(grace.find()).isTrue();
        long drain = 2 * Long.parseLong(grace.group(1)) + TrackedRuns.AFTER_CANCEL.toSeconds() + RunDrain.FLUSH.toSeconds();
        String stop = api.path("stop_grace_period").asText();
        assertThat(stop).matches("\\d+s");
        assertThat(Duration.ofSeconds(Long.parseLong(stop.replace("s", ""))).toSeconds()).isGreaterThanOrEqualTo(drain);
    }

    private static Set<String> names(JsonNode map) {
        Set<String> out = new HashSet<>();
        map.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }
}
