package io.sigil.server.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.contracts.Contract;
import io.sigil.llm.Message;
import io.sigil.llm.ToolChoice;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.runs.RunInput;
import io.sigil.sessions.Caller;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a chat completion request becomes a run: message, history, resumed tool turn, context and contract. */
class ChatInputsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Caller ALICE = Caller.user("alice");

    static ChatCompletionRequest parse(String body) throws Exception {
        return ChatCompletionRequest.parse(JSON.readTree(body), JSON);
    }

    static final String SCHEMA = """
            {"model": "helper", "messages": [{"role": "developer", "content": "Be terse."},
              {"role": "user", "content": "earlier"}, {"role": "assistant", "content": "reply"},
              {"role": "user", "content": "now"}],
             "response_format": {"type": "json_schema", "json_schema": {"name": "1st-answer", "schema":
               {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}, "required": ["a"]}}}}
            """;

    @Test
    void theLastUserMessageIsTheRunsMessageAndTheRestItsHistoryAndContext() throws Exception {
        RunInput in = ChatInputs.of(parse(SCHEMA), null, ALICE, false, JSON);
        assertThat(in.message()).isEqualTo("now");
        assertThat(in.conversation().history()).containsExactly(Message.user("earlier"), Message.assistant("reply"));
        assertThat(in.conversation().clientTurn()).isFalse();
        assertThat(in.context()).containsEntry(ChatInputs.INSTRUCTIONS, "Be terse.");
        Contract c = in.schemaContract();
        assertThat(c.name()).isEqualTo("schema_1st-answer");
        assertThat(c.deliverables()).extracting(d -> d.name() + ":" + d.required()).containsExactly("a:true", "b:false");
    }

    @Test
    void theAgentsOwnContractWinsOverTheRequestsSchema() throws Exception {
        assertThat(ChatInputs.of(parse(SCHEMA), null, ALICE, true, JSON).schemaContract()).isNull();
    }

    @Test
    void toolResultsAfterTheLastUserMessageResumeTheClientToolTurn() throws Exception {
        RunInput in = ChatInputs.of(parse("""
                {"model": "helper", "tools": [{"type": "function", "function": {"name": "lookup"}}],
                 "tool_choice": {"type": "function", "function": {"name": "lookup"}},
                 "messages": [{"role": "user", "content": "find x"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                    "function": {"name": "lookup", "arguments": "{\\"q\\": \\"x\\"}"}}]},
                  {"role": "tool", "tool_call_id": "c1", "content": "x is 42"}]}"""), null, ALICE, false, JSON);
        assertThat(in.conversation().history()).containsExactly(Message.user("find x"));
        assertThat(in.conversation().resumed()).hasSize(2);
        // The client's result reaches the model as untrusted data, like the agent's own tools' results.
        var result = (Message.ToolResult) in.conversation().resumed().getLast();
        assertThat(result.toolCallId()).isEqualTo("c1");
        assertThat(result.toolName()).isEqualTo("lookup");
        assertThat(result.content()).contains("x is 42").isNotEqualTo("x is 42");
        assertThat(in.conversation().toolChoice()).isEqualTo(ToolChoice.tool("lookup"));
        assertThat(in.message()).contains("lookup (c1): x is 42");
    }

    @Test
    void aSchemaThatIsNotAnObjectOfPropertiesIsRefusedNamingIt() {
        assertThatThrownBy(() -> ChatInputs.of(parse("""
                {"model": "helper", "messages": [{"role": "user", "content": "x"}], "response_format":
                 {"type": "json_schema", "json_schema": {"name": "n", "schema": {"type": "array"}}}}"""), null, ALICE, false, JSON))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.problem().invalidParams().getFirst().name())
                        .isEqualTo("response_format.json_schema.schema"));
        assertThatThrownBy(() -> parse("""
                {"model": "helper", "messages": [{"role": "user", "content": "x"}],
                 "max_tokens": 0}""")).isInstanceOfSatisfying(ApiProblem.class, p ->
                assertThat(p.problem().invalidParams().getFirst().name()).isEqualTo("max_tokens"));
    }
}
