package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import io.sigil.orchestrator.RunResponse;
import io.sigil.orchestrator.RunStatus;
import io.sigil.Sigil;
import io.sigil.server.http.Json;
import io.sigil.server.runs.RunResponseJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sigil run}: one request through the whole pipeline, shown live, with the verified output at the end. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Run a request: route, recall memory, plan, reason, check the contract, record every step.",
        "Progress goes to stderr, the output to stdout. Exit 0 success or partial, 4 contract/budget failure, 1 other."})
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TASK", description = "What to do (words are joined by spaces).")
    List<String> words;

    @Option(names = {"-a", "--agent"}, paramLabel = "NAME|FILE", description = "An agent by name, or a YAML/JSON definition file.")
    String agent;

    @Option(names = {"-c", "--contract"}, paramLabel = "NAME", description = "Hold the output to this contract.")
    String contract;

    @Option(names = {"-s", "--strategy"}, paramLabel = "NAME", description = "direct, chain_of_thought, tree_of_thoughts, react or mcts.")
    String strategy;

    @Option(names = "--session", paramLabel = "ID", description = "Continue this session.")
    String session;

    @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL", description = "anthropic:<model>, openai:<model>, ollama:<model> or test (offline).")
    String model;

    @Option(names = "--user", paramLabel = "ID", description = "Whose memories to use.")
    String user;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Token budget for the whole request.")
    Long maxTokens;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Deadline for the whole request.")
    Double timeout;

    @Option(names = "--json", description = "Print the whole response as JSON (no progress).")
    boolean json;

    @Option(names = "--quiet", description = "No progress, only the output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        var settings = SigilCommand.root(spec).settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Sigil runtime = Sigil.builder().settings(settings).build()) {
            String agentName = AgentFiles.register(runtime, agent);
            RunRequest request = RunRequest.builder(String.join(" ", words)).agent(agentName).contract(contract)
                    .strategy(strategy).sessionId(session).model(model).userId(user).maxTokens(maxTokens)
                    .timeoutSeconds(timeout).build();
            // The answer streams on stderr while it is written, unless stdout is the same terminal: it would then
            // show twice (streamed, then as the output), so only the output is printed.
            boolean streamText = !SigilCommand.root(spec).stdoutIsTerminal();
            RunListener listener = json || quiet ? RunListener.NONE : new ProgressPrinter(err, streamText);
            RunResponse response = runtime.orchestrator().handle(request, listener);
            if (json) {
                out.println(mapper().writeValueAsString(RunResponseJson.toJson(response)));
            } else {
                out.println(response.answerText());
            }
            out.flush();
            if (quiet) { // no progress, but a failure still says what went wrong and how to fix it
                ProgressPrinter.printErrors(response, err::println);
                err.flush();
            }
            return exitCode(response);
        }
    }

    static boolean isOffline(Sigil runtime, String model, String agentName) {
        String m = model;
        if (m == null && agentName != null) m = runtime.agents().get(agentName).model();
        return runtime.models().parse(m).provider().equals("test");
    }

    static int exitCode(RunResponse r) {
        return exitCode(r.status().wireName(), r.errors());
    }

    /** The exit code of a run by its status's wire name and its errors (a response read from a server). */
    static int exitCode(String status, java.util.List<String> errors) {
        // A run paused for a human decision ended its turn as it should: no failure.
        if (status.equals(RunStatus.SUCCESS.wireName()) || status.equals(RunStatus.PARTIAL.wireName())
                || status.equals(RunStatus.AWAITING_APPROVAL.wireName())) return ExitCodes.OK;
        boolean contractOrBudget = errors.stream()
                .anyMatch(e -> e.startsWith("[CONTRACT_ERROR]") || e.startsWith("[TOKEN_BUDGET_EXCEEDED]"));
        return contractOrBudget ? ExitCodes.CONTRACT : ExitCodes.FAILURE;
    }

    /** The API's response mapper, indented for people. */
    static ObjectMapper mapper() {
        return Json.responseMapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
