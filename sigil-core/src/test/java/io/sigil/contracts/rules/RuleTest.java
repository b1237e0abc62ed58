package io.sigil.contracts.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static boolean holds(String rule, String valueJson) {
        return Rule.parse(rule).test(json(valueJson)).passed();
    }

    @ParameterizedTest(name = "{0} over {1} is {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // comparisons and chains
            "0 <= value <= 100            | 50                | true",
            "0 <= value <= 100            | 101               | false",
            "0 <= value <= 100            | -1                | false",
            "0 < value < 1                | 0.5               | true",
            "value == 3                   | 3.0               | true",
            "value != 'x'                 | \"y\"             | true",
            "value > 2 and value < 5      | 4                 | true",
            "value > 2 and value < 5      | 5                 | false",
            "value < 0 or value > 10      | 11                | true",
            "not value                    | false             | true",
            "not (value > 1)              | 0                 | true",
            // membership
            "'budget' in value            | {\"budget\":1}    | true",
            "'budget' in value            | {\"need\":1}      | false",
            "'budget' not in value        | {\"need\":1}      | true",
            "value in ['a', 'b']          | \"b\"             | true",
            "value not in ['a', 'b']      | \"c\"             | true",
            "'x' in value                 | [\"x\",\"y\"]     | true",
            "'ell' in value               | \"hello\"         | true",
            "3 in value                   | [1, 2, 3.0]       | true",
            // functions and methods
            "len(value) > 0               | \"a\"             | true",
            "len(value) > 0               | []                | false",
            "len(value) == 2              | {\"a\":1,\"b\":2} | true",
            "startswith(value, 'http')    | \"https://x\"     | true",
            "value.startswith('http')     | \"ftp://x\"       | false",
            "endswith(value, '.pdf')      | \"a.pdf\"         | true",
            "value.endswith('.pdf')       | \"a.doc\"         | false",
            "matches(value, '^[A-Z]{3}$') | \"USD\"           | true",
            "matches(value, '^[A-Z]{3}$') | \"usd\"           | false",
            "value.matches('\\d+')        | \"a12\"           | true",
            "lower(value) == 'abc'        | \"AbC\"           | true",
            "value.upper() == 'ABC'       | \"abc\"           | true",
            "abs(value) <= 1              | -1                | true",
            "max(value) <= 10             | [1, 10, 3]        | true",
            "min(value, 5) == 5           | 9                 | true",
            // arithmetic
            "value * 2 + 1 == 7           | 3                 | true",
            "value / 2 == 1.5             | 3                 | true",
            "value % 2 == 0               | 4                 | true",
            "-value == -4                 | 4                 | true",
            "(value - 1) * 10 >= 20       | 3                 | true",
            "value + '!' == 'hi!'         | \"hi\"            | true",
            "1e3 == value                 | 1000              | true",
            // field access and indexing
            "value.budget > 100           | {\"budget\":150}  | true",
            "value.a.b == 'deep'          | {\"a\":{\"b\":\"deep\"}} | true",
            "value['budget'] == 150       | {\"budget\":150}  | true",
            "value[0] == 'first'          | [\"first\",\"x\"] | true",
            "value[-1] == 'x'             | [\"first\",\"x\"] | true",
            "len(value.items) >= 2        | {\"items\":[1,2]} | true",
            // literals and truthiness
            "value == true                | true              | true",
            "value == None                | null              | true",
            "value == null                | null              | true",
            "value                        | \"non-empty\"     | true",
            "value                        | 0                 | false",
    })
    void evaluates(String rule, String value, boolean expected) {
        assertThat(holds(rule.strip(), value.strip())).as(rule + " over " + value).isEqualTo(expected);
    }

    @Test
    void chainEvaluatesEachOperandOnceAndShortCircuitsPerPair() {
        // 5 < value fails first pair: the whole chain is false even though value < 10 holds
        assertThat(holds("5 < value < 10", "3")).isFalse();
        assertThat(holds("1 < 2 < value < 4", "3")).isTrue();
    }

    @Test
    void andOrShortCircuitSoLaterOperandsNeedNotBeWellTyped() {
        assertThat(holds("value == null or len(value) > 0", "null")).isTrue();
        assertThat(holds("'a' in value and value.a > 0", "{\"b\":1}")).isFalse();
    }

    @Test
    void illTypedValuesFailWithTheReasonInsteadOfThrowing() {
        Rule.Outcome o = Rule.parse("len(value) > 0").test(json("5"));
        assertThat(o.passed()).isFalse();
        assertThat(o.problem()).contains("len() needs a string, list or object, got int 5");

        assertThat(Rule.parse("value > 1").test(json("\"abc\"")).problem()).contains("cannot compare str 'abc' > int 1");
        assertThat(Rule.parse("value.budget > 1").test(json("{}")).problem()).contains("field 'budget' is missing");
        assertThat(Rule.parse("value / 0 > 1").test(json("4")).problem()).contains("division by zero");
        assertThat(Rule.parse("value[5] == 1").test(json("[1]")).problem()).contains("out of range");
        assertThat(Rule.parse("value.startswith('a')").test(json("1")).problem()).contains("startswith() needs a string");
    }

    @Test
    void dynamicRegexIsCompiledAtEvaluationAndBadPatternsFailTheRule() {
        assertThat(Rule.parse("matches(value.s, value.p)").test(json("{\"s\":\"ab\",\"p\":\"^a\"}")).passed()).isTrue();
        assertThat(Rule.parse("matches(value.s, value.p)").test(json("{\"s\":\"ab\",\"p\":\"(\"}")).problem())
                .contains("invalid regular expression");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "value >                | 7  | expected a value",
            "len(value              | 9  | expected ',' or ')'",
            "'abc                   | 0  | string starting here is not closed",
            "value = 3              | 6  | use '==' to compare",
            "value && 1             | 6  | use 'and' / 'or'",
            "foo > 1                | 0  | unknown name 'foo'",
            "size(value) > 1        | 0  | unknown function 'size'",
            "len(value, 2) > 1      | 0  | len() takes 1 argument, got 2",
            "matches(value, '(')    | 0  | invalid regular expression",
            "value > 1 2            | 10 | unexpected '2' after a complete expression",
            "(value > 1             | 10 | expected ')'",
            "value.                 | 6  | expected a field or method name",
            "value # 1              | 6  | unexpected character '#'",
            "[1, 2                  | 5  | expected ',' or ']'",
    })
    void syntaxErrorsNameThePosition(String rule, int position, String message) {
        assertThatThrownBy(() -> Rule.parse(rule.strip()))
                .isInstanceOfSatisfying(RuleSyntaxError.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).contains("at position " + position).contains(message).contains("^");
                    assertThat(e.hint()).contains("docs/contracts.md");
                });
    }

    @Test
    void deepNestingIsRefusedInsteadOfOverflowingTheStack() {
        assertThatThrownBy(() -> Rule.parse("(".repeat(100) + "value" + ")".repeat(100)))
                .isInstanceOf(RuleSyntaxError.class).hasMessageContaining("nests deeper than 64 levels");
        assertThatThrownBy(() -> Rule.parse("not ".repeat(100) + "value"))
                .isInstanceOf(RuleSyntaxError.class).hasMessageContaining("nests deeper");
        assertThat(holds("(((value > 1)))", "2")).isTrue();
        assertThatThrownBy(() -> Rule.parse("value" + " + 1".repeat(400) + " > 0"))
                .isInstanceOf(RuleSyntaxError.class).hasMessageContaining("longer than 1000 characters");
    }

    @Test
    void emptyRuleIsASyntaxError() {
        assertThatThrownBy(() -> Rule.parse("   ")).isInstanceOf(RuleSyntaxError.class).hasMessageContaining("empty");
    }

    @Test
    void pythonStyleBackslashEscapesStayInRegexes() {
        assertThat(holds("matches(value, '^\\d{4}$')", "\"2024\"")).isTrue();
        assertThat(holds("value == 'it\\'s'", "\"it's\"")).isTrue();
    }
}
