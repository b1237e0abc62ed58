package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Resolving "before/after <event>" with one search, and making no search (and no span) for anything else. */
class EventAnchorsTest {
    private static final Instant ASKED = Instant.parse("2025-06-11T15:00:00Z");
    private static final TemporalBoost WITH_ANCHORS = new TemporalBoost(0.3, true);

    /** A search that answers every text with one turn and records what it was asked. */
    private record OneTurn(MemoryItem turn, List<String> asked) implements EventAnchors.Search {
        OneTurn(String content, String day) {
            this(new MemoryItem("t", null, content, "general", 1, Map.of(), Scope.user("nora"),
                    Instant.parse(day + "T19:30:00Z")), new ArrayList<>());
        }

        @Override
        public List<Hit> find(String text, int k) {
            asked.add(text);
            return List.of(new Hit(turn, 4.2));
        }
    }

    @Test
    void beforeAnEventIsEverythingUpToTheDayItHappened() {
        var search = new OneTurn("Nora: Back from Porto! Honestly the port cellars were the best part.", "2025-04-17");
        TimeWindow w = WITH_ANCHORS.windowOf("What did Nora say about the flat before Nora's trip to Porto?", ASKED, search);
        assertThat(w).isEqualTo(new TimeWindow(TemporalCue.NO_TIME_BEFORE, Instant.parse("2025-04-17T00:00:00Z")));
        assertThat(search.asked()).containsExactly("nora's trip to porto");
    }

    @Test
    void afterAnEventRunsFromTheNextDayToWhenTheQuestionIsAsked() {
        var search = new OneTurn("Leo: We adopted a kitten from the shelter, called Miso.", "2025-05-02");
        TimeWindow w = WITH_ANCHORS.windowOf("What was Leo's news about running after the adoption of Miso?", ASKED, search);
        assertThat(w).isEqualTo(new TimeWindow(Instant.parse("2025-05-03T00:00:00Z"), ASKED.plusSeconds(1)));
        // the event's own day is neither before nor after it
        assertThat(w.contains(Instant.parse("2025-05-02T20:00:00Z"))).isFalse();
    }

    @Test
    void aHitThatSharesTooFewOfTheAnchorsWordsIsNotTakenForTheEvent() {
        // "Nora" alone (a possessor, half weight) out of Nora + trip + Porto: not the trip
        var search = new OneTurn("Nora: I made soup again, very exciting life.", "2025-04-17");
        assertThat(WITH_ANCHORS.windowOf("What did Nora say before Nora's trip to Porto?", ASKED, search)).isNull();
        assertThat(search.asked()).hasSize(1);
        assertThat(EventAnchors.match(EventAnchors.words("nora's trip to porto"), "Nora: Back from Porto!"))
                .isCloseTo(0.6, within(1e-9));
    }

    @Test
    void anEventAfterTheQuestionOrWithoutATimeGivesNoSpan() {
        var future = new OneTurn("Ella was here all weekend, Ella's visit was lovely", "2025-06-11");
        assertThat(WITH_ANCHORS.windowOf("How was Nora after Ella's visit?", ASKED, future)).isNull();
        var undated = new OneTurn(new MemoryItem("t", null, "Ella's visit was lovely", "general", 1, Map.of(),
                Scope.user("nora"), Instant.EPOCH), new ArrayList<>());
        assertThat(WITH_ANCHORS.windowOf("How was Nora after Ella's visit?", ASKED, undated)).isNull();
    }

    @Test
    void withAnchorsOffOrWithoutABoostNothingIsSearched() {
        var search = new OneTurn("Nora: Back from Porto!", "2025-04-17");
        assertThat(new TemporalBoost(0.3, false).windowOf("What did Nora say before her trip to Porto?", ASKED, search)).isNull();
        assertThat(new TemporalBoost(0, true).windowOf("What did Nora say before her trip to Porto?", ASKED, search)).isNull();
        assertThat(search.asked()).isEmpty();
    }

    @Test
    void aDateCueNeedsNoSearchAndAnUnresolvedAnchorFallsBackToTheNextCue() {
        var search = new OneTurn("Nora: I made soup again.", "2025-04-17");
        assertThat(WITH_ANCHORS.windowOf("What did Nora say in May?", ASKED, search))
                .isEqualTo(new TimeWindow(Instant.parse("2025-05-01T00:00:00Z"), Instant.parse("2025-06-01T00:00:00Z")));
        assertThat(search.asked()).isEmpty();
        assertThat(WITH_ANCHORS.windowOf("What did Nora say after the trip, in May?", ASKED, search))
                .isEqualTo(new TimeWindow(Instant.parse("2025-05-01T00:00:00Z"), Instant.parse("2025-06-01T00:00:00Z")));
        assertThat(search.asked()).containsExactly("the trip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"What did Nora say about the bakery?", "When did Nora adopt a dog?",
            "What does Omar do before going to bed?", "What did she do after she quit?", "What was the last book Sam read?",
            "Did Bruno say he may move?", "How did Leo feel after winning?", "What happened after that?",
            "Who came before him?", "What did Nora cook for dinner after work?"})
    void ordinaryQuestionsMakeNoAnchorSearch(String question) {
        var search = new OneTurn("Nora: anything at all", "2025-04-17");
        assertThat(WITH_ANCHORS.windowOf(question, ASKED, search)).as(question).isNull();
        assertThat(search.asked()).as(question).isEmpty();
    }

    @Test
    void onceResolvedTheAnchorsWordsLeaveTheSearchTextOtherwiseTheQuestionStaysAsItIs() {
        var trip = new OneTurn("Nora: Back from Porto! Honestly the port cellars were the best part.", "2025-04-17");
        assertThat(WITH_ANCHORS.focus("What did Nora say about the flat before  Nora's Trip to Porto?", ASKED, trip).text())
                .isEqualTo("What did Nora say about the flat?");
        var soup = new OneTurn("Nora: I made soup again.", "2025-04-17");
        String question = "What did Nora say about the flat before Nora's trip to Porto?";
        assertThat(WITH_ANCHORS.focus(question, ASKED, soup)).isEqualTo(new TemporalBoost.Focus(null, question));
        assertThat(WITH_ANCHORS.focus("What did Nora say in May?", ASKED, soup).text()).isEqualTo("What did Nora say in May?");
    }

    @Test
    void wordsMatchOtherFormsOfThemselvesButNotStrangers() {
        assertThat(EventAnchors.sameWord("adoption", "adopted")).isTrue();
        assertThat(EventAnchors.sameWord("move", "moving")).isTrue();
        assertThat(EventAnchors.sameWord("switch", "switched")).isTrue();
        assertThat(EventAnchors.sameWord("visit", "vista")).isFalse();
        assertThat(EventAnchors.sameWord("cat", "car")).isFalse();
        assertThat(EventAnchors.words("the adoption of Miso")).extracting(EventAnchors.Word::text)
                .containsExactly("adoption", "miso");
    }
}
