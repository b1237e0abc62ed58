package io.sigil.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonExtractorTest {

    @Test
    void plainJson() {
        JsonExtractor.Extraction x = JsonExtractor.extract("{\"a\": 1}");
        assertThat(x.value().get("a").asInt()).isEqualTo(1);
        assertThat(x.repaired()).isFalse();
    }

    @Test
    void codeFenceWithLanguageTagAndProseAround() {
        String text = "Here is the result:\n```json\n{\"a\": {\"b\": [1, 2]}}\n```\nLet me know if you need more.";
        assertThat(JsonExtractor.extract(text).value().at("/a/b/1").asInt()).isEqualTo(2);
    }

    @Test
    void leadingAndTrailingProseWithBracesInsideStrings() {
        String text = "Sure! {\"note\": \"use {braces} freely\", \"n\": 3} Hope that helps {not json}";
        JsonExtractor.Extraction x = JsonExtractor.extract(text);
        assertThat(x.value().get("note").asText()).isEqualTo("use {braces} freely");
        assertThat(x.value().get("n").asInt()).isEqualTo(3);
    }

    @Test
    void oneRepairPassForTrailingCommasAndSingleQuotes() {
        JsonExtractor.Extraction x = JsonExtractor.extract("{'name': 'O\\'Brien', 'tags': ['a', 'b',], 'q': 'say \"hi\"',}");
        assertThat(x.repaired()).isTrue();
        assertThat(x.value().get("name").asText()).isEqualTo("O'Brien");
        assertThat(x.value().get("tags")).hasSize(2);
        assertThat(x.value().get("q").asText()).isEqualTo("say \"hi\"");
    }

    @Test
    void unrepairableTextSaysWhy() {
        assertThat(JsonExtractor.extract("no json here").problem()).startsWith("no JSON object in the response");
        assertThat(JsonExtractor.extract("{\"a\": tru}").problem()).startsWith("malformed JSON object");
        assertThat(JsonExtractor.extract("  ").problem()).isEqualTo("empty response");
        assertThat(JsonExtractor.extract("[1, 2]").value()).isNull();
    }
}
