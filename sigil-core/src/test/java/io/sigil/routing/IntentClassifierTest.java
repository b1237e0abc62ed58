package io.sigil.routing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class IntentClassifierTest {
    private final IntentClassifier classifier = new IntentClassifier();

    @Test
    void emptyInputIsGeneralChatWithFullConfidence() {
        for (String empty : new String[] {"", "   ", null}) {
            IntentClassification c = classifier.classify(empty);
            assertThat(c.intent()).isEqualTo(Intent.GENERAL_CHAT);
            assertThat(c.confidence()).isEqualTo(1.0);
        }
    }

    @Test
    void slashCommandIsSystemCommandWithFullConfidence() {
        IntentClassification c = classifier.classify("/status now");
        assertThat(c.intent()).isEqualTo(Intent.SYSTEM_COMMAND);
        assertThat(c.confidence()).isEqualTo(1.0);
        assertThat(c.matchedKeywords().get(Intent.SYSTEM_COMMAND)).containsExactly("/status");
    }

    @Test
    void noKeywordIsGeneralChatAtPointEight() {
        IntentClassification c = classifier.classify("hello there");
        assertThat(c.intent()).isEqualTo(Intent.GENERAL_CHAT);
        assertThat(c.confidence()).isEqualTo(0.8);
        assertThat(c.scores()).isEmpty();
    }

    @Test
    void scoreSumsWeightsWithTenPercentPerExtraMatchAndConfidenceFollowsTheFormula() {
        // create 1 + "new agent" 1 = 2, two matches -> x1.1 = 2.2; nothing else matches.
        IntentClassification c = classifier.classify("Create a new agent");
        assertThat(c.intent()).isEqualTo(Intent.CREATE_AGENT);
        assertThat(c.scores().get(Intent.CREATE_AGENT)).isCloseTo(2.2, within(1e-9));
        assertThat(c.matchedKeywords().get(Intent.CREATE_AGENT)).containsExactly("create", "new agent");
        assertThat(c.confidence()).isCloseTo(Math.min(2.2 / 3, 1) + Math.min(2.2 / 2, 0.2), within(1e-9));
    }

    @Test
    void confidenceUsesTheGapToTheSecondBestIntent() {
        // run: run 1 -> 1.0; query_memory: what .6 -> 0.6. best/3 = 0.333, gap/2 = 0.2 -> 0.533.
        IntentClassification c = classifier.classify("what would happen if I run it");
        assertThat(c.intent()).isEqualTo(Intent.RUN_AGENT);
        assertThat(c.scores()).containsKeys(Intent.RUN_AGENT, Intent.QUERY_MEMORY);
        assertThat(c.confidence()).isCloseTo(1.0 / 3 + 0.2, within(1e-9));

        // run 1 vs search 1: a tie gives no gap bonus and goes to the intent the design lists first.
        IntentClassification tie = classifier.classify("run search");
        assertThat(tie.intent()).isEqualTo(Intent.RUN_AGENT);
        assertThat(tie.confidence()).isCloseTo(1.0 / 3, within(1e-9));
    }

    @Test
    void keywordsMatchWholeWordsInAnyCase() {
        assertThat(classifier.classify("RECALL the meeting").intent()).isEqualTo(Intent.QUERY_MEMORY);
        // "recreation", "rerun" and "builder" contain keywords but are other words.
        assertThat(classifier.classify("recreation rerun builder").intent()).isEqualTo(Intent.GENERAL_CHAT);
        assertThat(classifier.classify("make a  NEW   AGENT").matchedKeywords().get(Intent.CREATE_AGENT))
                .isEqualTo(List.of("make", "new agent"));
    }

    @Test
    void leadingSlashWithoutAWordStillCountsForSystem() {
        IntentClassification c = classifier.classify("/ help");
        assertThat(c.intent()).isEqualTo(Intent.SYSTEM_COMMAND);
        assertThat(c.matchedKeywords().get(Intent.SYSTEM_COMMAND)).containsExactly("leading /", "help");
        assertThat(c.scores().get(Intent.SYSTEM_COMMAND)).isCloseTo(1.7 * 1.1, within(1e-9));
    }
}
