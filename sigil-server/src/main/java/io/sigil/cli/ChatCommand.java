package io.sigil.cli;

import io.sigil.agents.AgentDefinition;
import io.sigil.errors.SigilError;
import io.sigil.memory.Scope;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.orchestrator.RunRequest;
import io.sigil.orchestrator.RunResponse;
import io.sigil.Sigil;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/**
 * {@code sigil chat}: an interactive conversation in one session, with line editing and history (JLine) and
 * slash commands. Each message runs through the whole pipeline like {@code sigil run}.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Talk to an agent interactively (one session).")
final class ChatCommand implements Callable<Integer> {
    static final String HELP = """
            /agents         list the agents
            /agent NAME     talk to this agent from now on (/agent to go back to the default assistant)
            /memory QUERY   search what is remembered
            /session        the session id and its message count
            /tokens         tokens used in this chat
            /help           this list
            /exit           leave (Ctrl-D works too)""";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-a", "--agent"}, paramLabel = "NAME") String agent;

    @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL") String model;

    @Option(names = "--session", paramLabel = "ID", description = "Continue this session.") String session;

    @Option(names = "--user", paramLabel = "ID") String user;

    private long tokens;

    @Override
    public Integer call() throws Exception {
        var settings = SigilCommand.root(spec).settings();
        try (Sigil rt = Sigil.builder().settings(settings).build();
             Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            var history = settings.state().dataDir().resolve("chat_history");
            Files.createDirectories(history.getParent());
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("sigil")
                    .variable(LineReader.HISTORY_FILE, history).build();
            PrintWriter out = terminal.writer();
            out.println("sigil chat" + (RunCommand.isOffline(rt, model, agent)
                    ? " (offline test model: answers are placeholders)" : "") + "; /help for commands, /exit to leave");
            while (true) {
                String line;
                try {
                    line = reader.readLine((agent == null ? "you" : agent) + "> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (line == null) break;
                line = line.strip();
                if (line.isEmpty()) continue;
                try {
                    if (line.startsWith("/")) {
                        if (!command(rt, line, out)) break;
                    } else {
                        RunResponse r = rt.orchestrator().handle(RunRequest.builder(line).agent(agent).model(model)
                                .sessionId(session).userId(user).build(), new ProgressPrinter(out, false));
                        session = r.sessionId();
                        tokens += r.tokensUsed();
                        out.println(r.answerText());
                    }
                } catch (SigilError e) {
                    out.println(e.display() + (e.hint() == null ? "" : "\n  hint: " + e.hint()));
                }
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    /** Runs a slash command; false to leave the chat. */
    private boolean command(Sigil rt, String line, PrintWriter out) {
        String[] parts = line.split("\\s+", 2);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0]) {
            case "/exit", "/quit" -> { return false; }
            case "/help" -> out.println(HELP);
            case "/agents" -> rt.agents().list().forEach(a -> out.println(a.name() + "  " + a.description()));
            case "/agent" -> {
                if (arg.isEmpty()) {
                    agent = null;
                    out.println("talking to the default assistant");
                } else {
                    AgentDefinition a = rt.agents().get(arg);
                    agent = a.name();
                    session = null; // a new agent starts a new session
                    out.println("talking to " + a.name() + ": " + a.description());
                }
            }
            case "/memory" -> {
                if (arg.isEmpty()) {
                    out.println("usage: /memory QUERY");
                } else {
                    var recall = rt.memory().recall(new RecallQuery(arg, new Scope(user, agent), null, 5, null));
                    if (recall.hits().isEmpty()) out.println("nothing remembered about that");
                    recall.hits().forEach(h -> out.printf("%.2f  %s%n", h.score(), h.item().content()));
                }
            }
            case "/session" -> out.println(session == null ? "no session yet (say something first)"
                    : session + " (" + rt.sessions().load(session).messages().size() + " messages)");
            case "/tokens" -> out.println(tokens + " tokens in this chat");
            default -> out.println("unknown command " + parts[0] + "; /help lists them");
        }
        return true;
    }
}
