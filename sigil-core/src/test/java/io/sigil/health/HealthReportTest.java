package io.sigil.health;

import io.sigil.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthReportTest {
    @TempDir
    Path dir;

    private static HealthCheck fixed(String name, boolean critical, HealthCheck.Result result) {
        return new HealthCheck() {
            @Override public String name() { return name; }
            @Override public boolean critical() { return critical; }
            @Override public Result check() { return result; }
        };
    }

    @Test
    void criticalFailureIsUnhealthyOtherFailuresDegrade() {
        var ok = fixed("a", true, HealthCheck.Result.healthy("ok"));
        var softFail = fixed("b", false, HealthCheck.Result.unhealthy("down"));
        var hardFail = fixed("c", true, HealthCheck.Result.unhealthy("down"));
        assertThat(HealthReport.of(List.of(ok)).status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthReport.of(List.of(ok, softFail)).status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthReport.of(List.of(ok, softFail, hardFail)).status()).isEqualTo(HealthStatus.UNHEALTHY);
        HealthCheck throwing = new HealthCheck() {
            @Override public String name() { return "t"; }
            @Override public boolean critical() { return true; }
            @Override public Result check() { throw new IllegalStateException("secret detail"); }
        };
        HealthReport r = HealthReport.of(List.of(throwing));
        assertThat(r.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(r.checks().get("t").detail()).doesNotContain("secret");
    }

    @Test
    void directoryCheck() throws Exception {
        assertThat(new DirectoryCheck("state", dir, true).check().status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(new DirectoryCheck("state", dir.resolve("later/deeper"), true).check().status()).isEqualTo(HealthStatus.HEALTHY);
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(new DirectoryCheck("state", file, true).check().status()).isEqualTo(HealthStatus.UNHEALTHY);
    }

    @Test
    void llmKeyCheckFollowsTheProviderPrefix() {
        Settings.Llm base = Settings.Llm.DEFAULTS;
        assertThat(new LlmKeyCheck(base).check().status()).isEqualTo(HealthStatus.DEGRADED);
        var withKey = Settings.Llm.builder().model("claude").anthropicApiKey("sk-ant-x").build();
        assertThat(new LlmKeyCheck(withKey).check().status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(new LlmKeyCheck(withKey).check().detail()).doesNotContain("sk-ant-x");
        var openai = Settings.Llm.builder().model("openai:gpt-4o").anthropicApiKey("sk-ant-x").build();
        assertThat(new LlmKeyCheck(openai).check().status()).isEqualTo(HealthStatus.DEGRADED);
        var local = Settings.Llm.builder().model("ollama:llama3").build();
        assertThat(new LlmKeyCheck(local).check().status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(new LlmKeyCheck(base).critical()).isFalse();
    }
}
