package io.sigil.memory.extract;

import io.sigil.memory.MemoryItem;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.Scope;
import io.sigil.memory.retrieval.KeywordText;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A document's chunks get their title, section and the previous chunk's end as keyword context, like turns. */
class DocumentChunksTest {
    private static final String HANDBOOK = """
            # Travel policy

            Employees book travel through the portal. %s

            ## Hotels

            Rooms up to 180 euros a night are approved without a manager. %s

            ## Trains

            First class is allowed for journeys over four hours. %s
            """.formatted("Filler sentence about the portal. ".repeat(12), "Filler sentence about rooms. ".repeat(12),
            "Filler sentence about seats. ".repeat(12));

    private static Resource document(Map<String, String> metadata) {
        return new Resource("r1", ResourceType.DOCUMENT, HANDBOOK, metadata, null, Scope.GLOBAL, Instant.EPOCH);
    }

    @Test
    void eachChunkKnowsItsTitleSectionAndThePreviousChunksEnd() {
        List<DocumentChunks.Chunk> chunks = DocumentChunks.of(document(Map.of("file", "/docs/travel_policy.md")), 500);
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        DocumentChunks.Chunk trains = chunks.stream().filter(c -> c.text().contains("First class")).findFirst().orElseThrow();
        assertThat(trains.context().lines().toList()).first().isEqualTo("travel policy"); // from the file name
        assertThat(trains.context()).contains("Filler sentence about rooms.");          // the previous chunk's end
        DocumentChunks.Chunk rooms = chunks.stream().filter(c -> c.text().contains("180 euros")).findFirst().orElseThrow();
        assertThat(rooms.context()).contains("travel policy");
        assertThat(chunks.getFirst().context()).doesNotContain("Filler"); // nothing precedes the first chunk
        for (DocumentChunks.Chunk c : chunks) {
            String previousPart = c.context().lines().reduce((a, b) -> b).orElse("");
            assertThat(previousPart.length()).isLessThanOrEqualTo(DocumentChunks.PREVIOUS_CHARS);
        }
    }

    @Test
    void aChunkInsideASectionGetsItsHeadingAndATitleFromMetadataWins() {
        String text = "# Handbook\n\n## Expenses\n\n" + "Receipts are kept for seven years. ".repeat(40);
        var doc = new Resource("r2", ResourceType.DOCUMENT, text, Map.of("title", "Finance handbook"), null, Scope.GLOBAL,
                Instant.EPOCH);
        List<DocumentChunks.Chunk> chunks = DocumentChunks.of(doc, 400);
        DocumentChunks.Chunk last = chunks.getLast();
        assertThat(last.text()).doesNotContain("Expenses");
        assertThat(last.context().lines().toList()).startsWith("Finance handbook", "Expenses");
    }

    @Test
    void theRuleExtractorsDocumentChunksCarryTheContextIntoTheirKeywordText() {
        List<Extracted> extracted = new RuleExtractor().extract(document(Map.of()));
        Extracted rooms = extracted.stream().filter(e -> e.content().contains("180 euros") && e.category().equals("general"))
                .findFirst().orElseThrow();
        // Without a title or file name, the first heading is the title.
        assertThat(rooms.metadata().get(KeywordText.CONTEXT)).startsWith("Travel policy");
        var item = new MemoryItem("i1", "r1", rooms.content(), rooms.category(), rooms.confidence(), rooms.metadata(),
                Scope.GLOBAL, Instant.EPOCH);
        assertThat(KeywordText.of(item)).startsWith(rooms.content()).contains("Travel policy").contains("portal");
        // Conversations are not chunked into items: their turns get context from the ingester instead.
        assertThat(new RuleExtractor().extract(Resource.of(ResourceType.CONVERSATION, "lead: we prefer email", Scope.GLOBAL)))
                .allSatisfy(e -> assertThat(e.metadata()).isEmpty());
    }
}
