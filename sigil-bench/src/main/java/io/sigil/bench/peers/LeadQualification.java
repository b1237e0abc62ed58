package io.sigil.bench.peers;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.langchain4j.model.output.structured.Description;

/**
 * The typed result of the task. Field descriptions are given once, in each framework's own annotation
 * (LangChain4j's {@code @Description}, Jackson's {@code @JsonPropertyDescription} read by Spring AI), with the
 * same words the raw call's schema and Sigil's contract use. Boxed types so a missing field is seen as missing.
 */
public record LeadQualification(
        @Description("Lead quality from 0 (unqualified) to 100 (ready to buy)")
        @JsonPropertyDescription("Lead quality from 0 (unqualified) to 100 (ready to buy)")
        Integer score,
        @Description("Budget, authority, need and timeline, each assessed in a sentence")
        @JsonPropertyDescription("Budget, authority, need and timeline, each assessed in a sentence")
        Bant bant,
        @Description("The next step for the sales team")
        @JsonPropertyDescription("The next step for the sales team")
        String recommendedAction) {

    public record Bant(String budget, String authority, String need, String timeline) { }
}
