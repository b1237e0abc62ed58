package io.sigil.memory.extract;

import io.sigil.llm.test.TestModel;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.Scope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ExtractionTest {
    private static final String CALL = """
            rep: Thanks for joining.
            lead: We prefer email over phone calls.
            lead: Our budget is around $40k for the year.
            lead: You can reach me at dana@acme.example.
            lead: We need it live before March 31.
            rep: Great, talk soon.""";

    @Test
    void rulesFindPreferencesBudgetsContactsAndDeadlinesAtConfidencePointSix() {
        var items = new RuleExtractor().extract(Resource.of(ResourceType.CONVERSATION, CALL, Scope.GLOBAL));

        assertThat(items).extracting(Extracted::category, Extracted::content, Extracted::confidence).containsExactly(
                tuple("lead_preferences", "We prefer email over phone calls.", 0.6),
                tuple("budget_information", "Our budget is around $40k for the year.", 0.6),
                tuple("contact_information", "You can reach me at dana@acme.example.", 0.6),
                tuple("timeline_requirements", "We need it live before March 31.", 0.6));
    }

    @Test
    void documentsAreChunkedAndKeptByTheRules() {
        var doc = new StringBuilder();
        for (int i = 0; i < 10; i++) doc.append(("Section " + i + " explains the planner. ").repeat(30)).append("\n\n");
        var items = new RuleExtractor().extract(Resource.of(ResourceType.DOCUMENT, doc.toString(), Scope.GLOBAL));
        assertThat(items).hasSizeGreaterThan(1).allSatisfy(i -> assertThat(i.content().length()).isLessThanOrEqualTo(1500));
    }

    @Test
    void chunkerRespectsTheLimitAndLosesNoWords() {
        String text = "alpha beta gamma. ".repeat(500);
        var chunks = Chunker.chunk(text, 200);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(200));
        assertThat(String.join(" ", chunks).split("\\s+")).hasSize(1500);
    }

    @Test
    void theModelExtractsWithStructuredOutputAndUnusableAnswersFallBackToRules() {
        var model = TestModel.queueText(
                "{\"items\":[{\"content\":\"Acme prefers email\",\"category\":\"Lead Preferences\",\"confidence\":0.9}]}",
                "sorry, I cannot do JSON");
        var extractor = new ModelExtractor(model, new RuleExtractor(), 4000);
        var resource = Resource.of(ResourceType.CONVERSATION, CALL, Scope.GLOBAL);

        assertThat(extractor.extract(resource)).containsExactly(new Extracted("Acme prefers email", "lead_preferences", 0.9));
        assertThat(model.requests().getFirst().outputSchema().name()).isEqualTo("memory_items");
        assertThat(model.requests().getFirst().system()).contains("budget_information");

        assertThat(extractor.extract(resource)).hasSize(4).allSatisfy(i -> assertThat(i.confidence()).isEqualTo(0.6));
    }
}
