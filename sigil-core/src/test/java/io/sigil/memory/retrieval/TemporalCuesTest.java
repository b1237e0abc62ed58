package io.sigil.memory.retrieval;

import io.sigil.memory.retrieval.TemporalCue.NamedDate;
import io.sigil.memory.retrieval.TemporalCue.NamedMonth;
import io.sigil.memory.retrieval.TemporalCue.Relative;
import io.sigil.memory.retrieval.TemporalCue.RelativeWindow;
import io.sigil.memory.retrieval.TemporalCue.WhenQuestion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.Month;
import java.time.MonthDay;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TemporalCuesTest {
    /** A Wednesday. */
    private static final Instant ASKED = Instant.parse("2025-06-11T15:00:00Z");

    private static TimeWindow window(String question) {
        TemporalCue cue = TemporalCues.windowCue(TemporalCues.parse(question));
        assertThat(cue).as(question).isNotNull();
        return cue.window(ASKED).orElseThrow();
    }

    private static TimeWindow days(String from, String to) {
        return new TimeWindow(Instant.parse(from + "T00:00:00Z"), Instant.parse(to + "T00:00:00Z"));
    }

    @Test
    void whenQuestionsAreRecognisedButPointAtNoSpan() {
        for (String q : List.of("When did Bruno move house?", "what date was the party?", "How long ago did she quit?",
                "Which month did they visit?", "Since when has he been running?")) {
            assertThat(TemporalCues.parse(q)).as(q).contains(new WhenQuestion());
            assertThat(TemporalCues.windowCue(TemporalCues.parse(q))).as(q).isNull();
        }
    }

    @Test
    void namedMonthsWithAndWithoutAYear() {
        assertThat(TemporalCues.parse("What evening class did Felix mention in May?"))
                .containsExactly(new NamedMonth(Month.MAY, null));
        assertThat(TemporalCues.parse("Which neighbourhood was she looking at during Sept. 2024?"))
                .containsExactly(new NamedMonth(Month.SEPTEMBER, 2024));
        assertThat(window("What did Nora say in May?")).isEqualTo(days("2025-05-01", "2025-06-01"));
        // a month later in the year than the question is last year's
        assertThat(window("What did Nora say in August?")).isEqualTo(days("2024-08-01", "2024-09-01"));
        assertThat(window("plans made in March 2023")).isEqualTo(days("2023-03-01", "2023-04-01"));
    }

    @Test
    void datesInEitherOrder() {
        assertThat(TemporalCues.parse("What happened on 3 May?")).containsExactly(new NamedDate(MonthDay.of(5, 3), null));
        assertThat(TemporalCues.parse("What happened on May 3rd, 2024?")).containsExactly(new NamedDate(MonthDay.of(5, 3), 2024));
        assertThat(TemporalCues.parse("the 4th of July party")).containsExactly(new NamedDate(MonthDay.of(7, 4), null));
        assertThat(window("What happened on 3 May?")).isEqualTo(days("2025-05-03", "2025-05-04"));
        assertThat(TemporalCues.parse("What happened on May 45?")).isEmpty();
    }

    @Test
    void relativeWindowsResolveAgainstTheQuestionsTime() {
        assertThat(TemporalCues.parse("What did I say yesterday?"))
                .containsExactly(new RelativeWindow(ChronoUnit.DAYS, 1, false, false));
        assertThat(window("What did I say yesterday?")).isEqualTo(days("2025-06-10", "2025-06-11"));
        assertThat(window("anything new today")).isEqualTo(new TimeWindow(Instant.parse("2025-06-11T00:00:00Z"),
                ASKED.plusSeconds(1)));
        // last week: from the Monday of last week up to now
        assertThat(window("What did we discuss last week?")).isEqualTo(new TimeWindow(
                Instant.parse("2025-06-02T00:00:00Z"), ASKED.plusSeconds(1)));
        assertThat(window("what did he cook this month")).isEqualTo(new TimeWindow(
                Instant.parse("2025-06-01T00:00:00Z"), ASKED.plusSeconds(1)));
        assertThat(window("What did she say 3 days ago?")).isEqualTo(days("2025-06-08", "2025-06-09"));
        assertThat(window("what happened two weeks ago")).isEqualTo(days("2025-05-26", "2025-06-02"));
        assertThat(window("What did we talk about in the past 2 weeks?")).isEqualTo(new TimeWindow(
                ASKED.minus(14, ChronoUnit.DAYS), ASKED.plusSeconds(1)));
        assertThat(TemporalCues.parse("over the last couple of months"))
                .containsExactly(new RelativeWindow(ChronoUnit.MONTHS, 2, true, false));
        assertThat(window("what happened last year")).isEqualTo(new TimeWindow(
                Instant.parse("2024-01-01T00:00:00Z"), ASKED.plusSeconds(1)));
    }

    @Test
    void beforeAndAfterADateOrAnEvent() {
        TimeWindow beforeMarch = window("What did Omar plan before March?");
        assertThat(beforeMarch).isEqualTo(new TimeWindow(TemporalCue.NO_TIME_BEFORE, Instant.parse("2025-03-01T00:00:00Z")));
        assertThat(beforeMarch.contains(Instant.EPOCH)).as("an item without a time").isFalse();
        assertThat(window("What changed after 3 May?")).isEqualTo(new TimeWindow(Instant.parse("2025-05-04T00:00:00Z"),
                ASKED.plusSeconds(1)));
        assertThat(TemporalCues.parse("What did Omar say before the trip?"))
                .containsExactly(new Relative(true, "the trip", null));
        assertThat(TemporalCues.parse("How did Sam feel after Ella's visit?"))
                .containsExactly(new Relative(false, "ella's visit", null));
        // an event anchor is not resolved to a span: that would be a search of its own
        assertThat(TemporalCues.windowCue(TemporalCues.parse("What did Omar say before the trip?"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "What is Bruno's favourite food?", "May I ask what Felix does for work?", "Who will march in the parade?",
            "What was the last book Sam read?", "What does Omar do before going to bed?", "Which job did Sam take?",
            "What did Mei say about the dog?", "How many days a week does Felix run?", "What is the time limit?",
            "Did Bruno say he may move?", "What did she do after she quit?", "What day job does he have?"})
    void ordinaryQuestionsCarryNoSpanOfTime(String question) {
        assertThat(TemporalCues.windowCue(TemporalCues.parse(question))).as(question).isNull();
    }

    @Test
    void aBoostOfZeroIsOffAndOutOfRangeIsRefused() {
        assertThat(TemporalBoost.OFF.windowOf("What did Nora say in May?", ASKED)).isNull();
        assertThat(new TemporalBoost(0.2).windowOf("What did Nora say in May?", ASKED))
                .isEqualTo(days("2025-05-01", "2025-06-01"));
        assertThat(new TemporalBoost(0.2).windowOf("What is Nora's job?", ASKED)).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TemporalBoost(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1");
    }
}
