package io.sigil.planning;

import io.sigil.errors.ToolError;
import io.sigil.tools.SideEffectFailure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed plan step that called a tool with side effects is not retried; other tool failures are. */
class SideEffectRetryTest {
    @Test
    void sideEffectFailuresAreNotRetried() {
        assertThat(PlanExecutor.retryable(new SideEffectFailure("sms_send", "Twilio answered HTTP 500"))).isFalse();
        assertThat(PlanExecutor.retryable(new ToolError("Tool web_search failed: timeout"))).isTrue();
    }
}
