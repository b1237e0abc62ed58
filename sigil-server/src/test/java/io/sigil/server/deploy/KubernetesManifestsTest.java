package io.sigil.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.server.ServerRoutes;
import io.sigil.server.runs.RunDrain;
import io.sigil.server.runs.TrackedRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/ agrees with the code: container port, probe paths, every ConfigMap and Secret key known to the config
 * catalogue with a valid value, the image tag equal to the project version, the drain fitting in the termination
 * grace period, the guide's replica and autoscaling figures. Schema validation: KubernetesSchemaIT.
 */
class KubernetesManifestsTest {
    static final Map<String, JsonNode> byKind = new HashMap<>();
    static JsonNode container;

    @BeforeAll
    static void load() {
        for (String f : List.of("namespace.yaml", "configmap.yaml", "deployment.yaml", "service.yaml", "hpa.yaml",
                "pdb.yaml", "secret.example.yaml")) {
            for (JsonNode doc : DeployFiles.yamlDocuments("k8s/" + f)) byKind.put(doc.path("kind").asText(), doc);
        }
        container = byKind.get("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void everyManifestIsInTheKustomizationExceptTheSecretExample() throws IOException {
        JsonNode k = DeployFiles.yaml("k8s/kustomization.yaml");
        List<String> listed = new ArrayList<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        List<String> files;
        try (Stream<java.nio.file.Path> s = Files.list(DeployFiles.file("k8s"))) {
            files = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml") && !n.equals("secret.example.yaml"))
                    .sorted().toList();
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(files);
        assertThat(k.path("namespace").asText()).isEqualTo("sigil");
        byKind.values().forEach(doc -> {
            if (!doc.path("kind").asText().equals("Namespace")) {
                assertThat(doc.at("/metadata/namespace").asText()).as(doc.path("kind").asText()).isEqualTo("sigil");
            }
        });
    }

    @Test
    void imageTagIsTheProjectVersion() {
        String version = DeployFiles.projectVersion();
        assertThat(container.path("image").asText()).endsWith(":" + version);
        JsonNode images = DeployFiles.yaml("k8s/kustomization.yaml").path("images");
        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("newTag").asText()).isEqualTo(version);
        assertThat(container.path("image").asText()).startsWith(images.get(0).path("name").asText() + ":");
    }

    @Test
    void portsAgreeWithTheConfigurationAndTheDockerfile() {
        JsonNode config = byKind.get("ConfigMap").path("data");
        int port = container.at("/ports/0/containerPort").asInt();
        assertThat(port).isEqualTo(Integer.parseInt(config.path("SIGIL_API_PORT").asText()));
        assertThat(DeployFiles.read("Dockerfile")).contains("EXPOSE " + port).contains("SIGIL_API_PORT=" + port);
        String portName = container.at("/ports/0/name").asText();
        JsonNode service = byKind.get("Service");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isIn(portName, Integer.toString(port));
        assertThat(service.at("/spec/selector")).isEqualTo(byKind.get("Deployment").at("/spec/template/metadata/labels"));
        assertThat(byKind.get("PodDisruptionBudget").at("/spec/selector/matchLabels"))
                .isEqualTo(byKind.get("Deployment").at("/spec/selector/matchLabels"));
    }

    @Test
    void probesUseTheServersDistinctLivenessAndReadinessEndpoints() {
        List<String> routes = ServerRoutes.getPaths();
        String live = container.at("/livenessProbe/httpGet/path").asText();
        String ready = container.at("/readinessProbe/httpGet/path").asText();
        assertThat(live).isEqualTo("/health/live").isNotEqualTo(ready);
        assertThat(ready).isEqualTo("/health/ready");
        assertThat(routes).contains(live, ready, container.at("/startupProbe/httpGet/path").asText());
        String portName = container.at("/ports/0/name").asText();
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo(portName);
        }
    }

    @Test
    void everyConfigMapAndSecretKeyIsASettingWithAValidValue() {
        List<String> problems = new ArrayList<>();
        byKind.get("ConfigMap").path("data").properties().forEach(e ->
                DeployFiles.envProblem("k8s/configmap.yaml", e.getKey(), e.getValue().asText()).ifPresent(problems::add));
        byKind.get("Secret").path("stringData").properties().forEach(e ->
                DeployFiles.envProblem("k8s/secret.example.yaml", e.getKey(), e.getValue().asText()).ifPresent(problems::add));
        assertThat(problems).isEmpty();
        assertThat(byKind.get("ConfigMap").path("data").path("SIGIL_STATE_BACKEND").asText()).isEqualTo("postgres");
        assertThat(byKind.get("Secret").path("stringData").has("DATABASE_URL")).isTrue();
        JsonNode envFrom = container.path("envFrom");
        assertThat(envFrom.findValuesAsText("name")).containsExactlyInAnyOrder(
                byKind.get("ConfigMap").at("/metadata/name").asText(), byKind.get("Secret").at("/metadata/name").asText());
    }

    @Test
    void terminationGraceCoversTheServersDrain() {
        JsonNode pod = byKind.get("Deployment").at("/spec/template/spec");
        long grace = Long.parseLong(byKind.get("ConfigMap").path("data").path("SIGIL_API_SHUTDOWN_GRACE_SECONDS").asText());
        JsonNode sleep = container.at("/lifecycle/preStop/exec/command");
        assertThat(sleep.get(0).asText()).isEqualTo("sleep");
        long preStop = sleep.get(1).asLong();
        // Runs get the grace, cancelled ones time to record, WebSockets their flush, then requests still in flight
        // as long as the grace again (Jetty's stop timeout).
        long drain = preStop + grace + TrackedRuns.AFTER_CANCEL.toSeconds() + RunDrain.FLUSH.toSeconds() + grace;
        assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isGreaterThanOrEqualTo(drain);
    }

    @Test
    void replicasAndAutoscalingFollowTheGuide() {
        assertThat(byKind.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(3);
        JsonNode hpa = byKind.get("HorizontalPodAutoscaler").path("spec");
        assertThat(hpa.path("minReplicas").asInt()).isEqualTo(3);
        assertThat(hpa.path("maxReplicas").asInt()).isEqualTo(10);
        Map<String, Integer> targets = new HashMap<>();
        hpa.path("metrics").forEach(m -> targets.put(m.at("/resource/name").asText(), m.at("/resource/target/averageUtilization").asInt()));
        assertThat(targets).containsEntry("cpu", 70).containsEntry("memory", 80);
        assertThat(hpa.at("/scaleTargetRef/name").asText()).isEqualTo(byKind.get("Deployment").at("/metadata/name").asText());
        assertThat(byKind.get("PodDisruptionBudget").at("/spec/minAvailable").asInt()).isBetween(1, 2);
        assertThat(container.at("/resources/requests/cpu").asText()).isNotEmpty();
        assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
    }
}
