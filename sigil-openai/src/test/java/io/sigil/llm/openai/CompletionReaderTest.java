package io.sigil.llm.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import io.sigil.llm.Usage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompletionReaderTest {
    private final CompletionReader reader = new CompletionReader(new JsonFactory());

    private CompletionReader.Completion read(String body) throws IOException {
        return reader.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheFirstChoiceTheUsageAndTheModelSkippingEverythingElse() throws IOException {
        var c = read("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "system_fingerprint":null,"service_tier":{"nested":[1,{"a":[]}]},
                 "choices":[
                   {"index":0,"logprobs":{"content":[{"token":"x"}]},
                    "message":{"role":"assistant","content":"{\\"score\\":72}","refusal":null,"annotations":[]},
                    "finish_reason":"stop"},
                   {"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"length"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,
                          "prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},
                          "completion_tokens_details":{"reasoning_tokens":0}}}""");

        assertThat(c.problem()).isNull();
        assertThat(c.text()).isEqualTo("{\"score\":72}");
        assertThat(c.finishReason()).isEqualTo("stop");
        assertThat(c.model()).isEqualTo("gpt-4o-mini");
        assertThat(c.usage()).isEqualTo(new Usage(120, 30, 64, 0));
        assertThat(c.toolCalls()).isEmpty();
    }

    @Test
    void keepsFunctionToolCallsWithTheirArgumentsAsSent() throws IOException {
        var c = read("""
                {"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"current_time","arguments":"{\\"tz\\":\\"UTC\\"}"}},
                   {"id":"call_2","type":"custom","custom":{"name":"grammar","input":"x"}},
                   {"id":"call_3","type":"function","function":{"name":"no_args","arguments":""}}]},
                 "finish_reason":"tool_calls"}]}""");

        assertThat(c.problem()).isNull();
        assertThat(c.text()).isEmpty();
        assertThat(c.finishReason()).isEqualTo("tool_calls");
        assertThat(c.toolCalls()).containsExactly(new CompletionReader.Call("call_1", "current_time", "{\"tz\":\"UTC\"}"),
                new CompletionReader.Call("call_3", "no_args", ""));
        assertThat(c.usage()).isEqualTo(Usage.ZERO);
        assertThat(c.model()).as("not named: the adapter reports the model it asked for").isNull();
    }

    @Test
    void namesWhatABodyWithoutAnAnswerLacks() throws IOException {
        assertThat(read("{\"id\":\"x\"}").problem()).isEqualTo("no choices");
        assertThat(read("{\"choices\":[]}").problem()).isEqualTo("no choices");
        assertThat(read("{\"choices\":null}").problem()).isEqualTo("no choices");
        assertThat(read("{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}").problem())
                .isEqualTo("the first choice has no finish_reason");
        assertThat(read("[1,2]").problem()).isEqualTo("the body is not a JSON object");
    }

    @Test
    void aBodyThatIsNotJsonOrBreaksOffIsAJacksonError() {
        assertThatThrownBy(() -> read("<html>bad gateway</html>")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> read("{\"choices\":[{\"message\":{\"content\":\"cut")).isInstanceOf(JacksonException.class);
    }
}
