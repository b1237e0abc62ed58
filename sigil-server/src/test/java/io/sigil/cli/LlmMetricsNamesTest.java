package io.sigil.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.LlmCallListener;
import io.sigil.llm.ObservedChatModel;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The LLM metrics reach Prometheus under the names of sigil-design.md section 14. */
class LlmMetricsNamesTest {

    @Test
    void exposesTokensAndLatencyUnderTheSpecifiedNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ObservedChatModel(TestModel.offline(), registry, LlmCallListener.NONE).chat(ChatRequest.of("hello"));

        String scrape = registry.scrape();

        assertThat(scrape).contains("sigil_llm_tokens_total{model=\"test\",provider=\"test\",type=\"input\"} 2.0")
                .contains("sigil_llm_tokens_total{model=\"test\",provider=\"test\",type=\"output\"}")
                .contains("sigil_llm_latency_seconds_count{model=\"test\",provider=\"test\"} 1");
    }
}
