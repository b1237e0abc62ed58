package io.sigil.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KeywordRouterTest {
    private final KeywordRouter router = new KeywordRouter();

    @Test
    void helloIsSimpleChatWithoutSubsystems() {
        RouteDecision d = router.route("hello");
        assertThat(d.intent()).isEqualTo(Intent.GENERAL_CHAT);
        assertThat(d.handler()).isEqualTo("chat");
        assertThat(d.complexity()).isLessThan(0.3);
        assertThat(d.usePlanning()).isFalse();
        assertThat(d.useMemory()).isFalse();
        assertThat(d.useContracts()).isFalse();
    }

    @Test
    void emptyTextHasZeroComplexity() {
        RouteDecision d = router.route("");
        assertThat(d.intent()).isEqualTo(Intent.GENERAL_CHAT);
        assertThat(d.confidence()).isEqualTo(1.0);
        assertThat(d.complexity()).isEqualTo(0.0);
    }

    @Test
    void slashStatusIsASystemCommand() {
        RouteDecision d = router.route("/status");
        assertThat(d.intent()).isEqualTo(Intent.SYSTEM_COMMAND);
        assertThat(d.handler()).isEqualTo("system_command");
        assertThat(d.confidence()).isEqualTo(1.0);
    }

    @Test
    void longCreateRequestIsComplexAndUsesPlanningMemoryAndContracts() {
        String request = "Create a new agent for our financial and legal compliance team that can search the web, "
                + "call our CRM API, read spreadsheet files and send email summaries. It should compare vendor "
                + "contracts, evaluate the tax and regulatory risk of each, and decide whether to escalate to a "
                + "human reviewer if the risk is high, otherwise prioritize the renewals by value and recommend "
                + "a negotiation strategy for the top three. Keep an audit trail of every decision it makes.";
        RouteDecision d = router.route(request);
        assertThat(d.intent()).isEqualTo(Intent.CREATE_AGENT);
        assertThat(d.complexity()).isGreaterThan(0.6);
        ComplexityAssessment c = d.factors().complexity();
        assertThat(c.multiplier()).isEqualTo(1.2);
        assertThat(d.complexity()).isCloseTo(Math.min(1, c.raw() * 1.2), within(1e-9));
        assertThat(c.raw()).isCloseTo(0.25 * (c.lengthFactor() + c.toolFactor() + c.domainFactor()
                + c.decisionFactor()), within(1e-9));
        assertThat(c.toolWords()).contains("web", "api", "crm", "email");
        assertThat(c.domainWords()).contains("financial", "legal", "compliance");
        assertThat(c.decisionWords()).contains("compare", "evaluate", "whether", "if");
        assertThat(d.usePlanning()).isTrue();
        assertThat(d.useMemory()).isTrue();
        assertThat(d.useContracts()).isEqualTo(d.complexity() > 0.7);
    }

    @Test
    void factorsAreCappedAtOneEach() {
        ComplexityAssessment c = new ComplexityAssessor().assess("x".repeat(2000)
                + " api web file email sql csv json crm", Intent.RUN_AGENT);
        assertThat(c.lengthFactor()).isEqualTo(1.0);
        assertThat(c.toolFactor()).isEqualTo(1.0);
        assertThat(c.complexity()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void systemCommandsAreCappedAtPointThreeAndChatAtPointFive() {
        String heavy = "y".repeat(600) + " api web file email sql financial legal medical tax "
                + "if whether compare evaluate decide ";
        ComplexityAssessor assessor = new ComplexityAssessor();
        assertThat(assessor.assess(heavy, Intent.SYSTEM_COMMAND).complexity()).isEqualTo(0.3);
        assertThat(assessor.assess(heavy, Intent.GENERAL_CHAT).complexity()).isEqualTo(0.5);
        assertThat(assessor.assess(heavy, Intent.MODIFY_AGENT).complexity()).isEqualTo(1.0);

        RouteDecision status = router.route("/status " + heavy);
        assertThat(status.complexity()).isLessThanOrEqualTo(0.3);
        assertThat(status.usePlanning()).isFalse();
    }

    @Test
    void memoryIsUsedForAgentAndMemoryIntentsOnly() {
        assertThat(router.route("run the demo").useMemory()).isTrue();
        assertThat(router.route("what do you remember about Paris").useMemory()).isTrue();
        assertThat(router.route("update my agent").useMemory()).isTrue();
        assertThat(router.route("show the version").useMemory()).isFalse();
    }

    @Test
    void routersFollowTheSettingsMode() {
        assertThat(Routers.forMode("keyword", () -> { throw new AssertionError("no model in keyword mode"); }, null))
                .isInstanceOf(KeywordRouter.class);
        assertThat(Routers.forMode("LLM", io.sigil.llm.test.TestModel::offline, null)).isInstanceOf(LlmRouter.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Routers.forMode("magic", () -> null, null))
                .isInstanceOf(io.sigil.errors.ConfigError.class).hasMessageContaining("magic");
    }
}
