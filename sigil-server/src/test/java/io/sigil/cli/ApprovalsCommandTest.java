package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** sigil approvals list|approve|deny in-process, with the offline test model and an agent whose tool always needs approval. */
class ApprovalsCommandTest {
    @TempDir Path dir;

    private CliHarness cli() {
        return new CliHarness(Map.of(
                "SIGIL_STATE_DATA_DIR", dir.resolve("state").toString(),
                "SIGIL_MEMORY_DATA_DIR", dir.resolve("memory").toString(),
                "SIGIL_AGENTS_DIR", dir.resolve("agents").toString(),
                "SIGIL_USE_MEMORY", "false",
                "SIGIL_LLM__MODEL", "test"), dir);
    }

    private JsonNode pause() throws Exception {
        Files.createDirectories(dir.resolve("agents"));
        Files.writeString(dir.resolve("agents/clock.yaml"), """
                name: clock
                description: Tells the time, carefully
                system_prompt: Tell the time.
                strategy: react
                memory_enabled: false
                tools: [current_time]
                approval: {current_time: always}
                """);
        var run = cli().run("run", "--agent", "clock", "--json", "use", "the", "current_time", "tool");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertThat(r.get("status").asText()).isEqualTo("awaiting_approval");
        return r;
    }

    @Test
    void aPausedRunIsListedAndApprovingItFinishesTheRun() throws Exception {
        JsonNode paused = pause();
        String run = paused.get("request_id").asText();
        String call = paused.at("/metadata/approvals/0/call_id").asText();

        var list = cli().run("approvals", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("pending").contains(run).contains(call).contains("current_time always needs approval");

        var approve = cli().run("approvals", "approve", run, call, "--reason", "ok");
        assertThat(approve.exit()).as(approve.err()).isZero();
        assertThat(approve.err()).contains("approved: current_time").contains("the run went on: success");
        // The offline model samples the arguments (an unknown time zone, so the tool reports an error): it ran.
        assertThat(approve.out()).contains("The tool current_time");
        assertThat(cli().run("sessions", "events", paused.get("session_id").asText()).out())
                .contains("approval.granted").contains("tool.called");
        assertThat(cli().run("approvals", "list").out()).contains("No pending approvals.");
        assertThat(cli().run("approvals", "list", "--status", "all", "--json").out()).contains("\"status\" : \"approved\"");

        var again = cli().run("approvals", "approve", run, call);
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("approved already");
    }

    @Test
    void denyingGivesTheModelTheReasonAndBadInputIsExplained() throws Exception {
        JsonNode paused = pause();
        String run = paused.get("request_id").asText();
        String call = paused.at("/metadata/approvals/0/call_id").asText();

        var badArgs = cli().run("approvals", "approve", run, call, "--arguments", "[1, 2]");
        assertThat(badArgs.exit()).isNotZero();
        assertThat(badArgs.err()).contains("arguments: must be a JSON object");
        var unknown = cli().run("approvals", "deny", "no-such-run", call);
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("no call '" + call + "' waiting for approval");

        var deny = cli().run("approvals", "deny", run, call, "--reason", "clocks are off limits");
        assertThat(deny.exit()).as(deny.err()).isZero();
        assertThat(deny.out()).contains("The tool current_time failed");
        assertThat(cli().run("sessions", "events", paused.get("session_id").asText()).out())
                .contains("approval.denied");
    }
}
