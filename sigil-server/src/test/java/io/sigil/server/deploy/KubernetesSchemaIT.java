package io.sigil.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every object under k8s/ validated against the Kubernetes API schemas (the npm package kubernetes-models, generated
 * from Kubernetes' OpenAPI specification; .ci/run installs it into ~/.cache/sigil-ci/kubernetes-models), and a
 * deliberately broken Deployment rejected, so a validator that accepts everything cannot pass.
 */
class KubernetesSchemaIT {
    static final String VERSION = "5.1.0";

    @TempDir
    Path work;

    static Path models() {
        Path prefix = Path.of(System.getProperty("user.home"), ".cache", "sigil-ci", "kubernetes-models");
        if (!Files.isDirectory(prefix.resolve("node_modules/kubernetes-models"))) {
            throw new AssertionError("The Kubernetes schemas are not installed: run `npm install --prefix " + prefix
                    + " kubernetes-models@" + VERSION + "` (bash .ci/run does it when missing)");
        }
        return prefix;
    }

    @Test
    void everyManifestMatchesTheKubernetesApiSchemas() throws Exception {
        String node = ProcessRunner.require("node", "nodejs");
        Path prefix = models();
        Files.copy(DeployFiles.file("deploy/k8s-validate.mjs"), prefix.resolve("k8s-validate.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ArrayNode items = DeployFiles.JSON.createArrayNode();
        List<String> files;
        try (Stream<Path> s = Files.list(DeployFiles.file("k8s"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .sorted().toList();
        }
        for (String f : files) {
            for (JsonNode doc : DeployFiles.yamlDocuments("k8s/" + f)) items.addObject().put("file", "k8s/" + f).set("object", doc);
        }
        assertThat(items).hasSizeGreaterThanOrEqualTo(7);
        Path input = work.resolve("objects.json");
        DeployFiles.JSON.writeValue(input.toFile(), items);
        ProcessRunner.Result r = ProcessRunner.run(prefix, 120, List.of(node, "k8s-validate.mjs", input.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output().lines().filter(l -> l.startsWith("valid ")).count()).as(r.output()).isEqualTo(items.size());

        // The same validator rejects a Deployment whose container port is not a number.
        JsonNode broken = DeployFiles.yamlDocuments("k8s/deployment.yaml").getFirst().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.at("/spec/template/spec/containers/0/ports/0"))
                .put("containerPort", "eight-thousand");
        ArrayNode bad = DeployFiles.JSON.createArrayNode();
        bad.addObject().put("file", "broken").set("object", broken);
        DeployFiles.JSON.writeValue(input.toFile(), bad);
        ProcessRunner.Result rejected = ProcessRunner.run(prefix, 120, List.of(node, "k8s-validate.mjs", input.toString()));
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.output()).contains("INVALID").contains("containerPort must be integer");
    }
}
