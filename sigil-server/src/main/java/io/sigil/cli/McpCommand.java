package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sigil.errors.NotFoundError;
import io.sigil.mcp.client.McpConnection;
import io.sigil.mcp.client.McpServerStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sigil mcp list|ping}: the configured MCP servers, connected now, with their state and tools. */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "The MCP servers in mcp.servers: connect and list them, or ping them.",
        subcommands = {McpCommand.ListServers.class, McpCommand.Ping.class})
final class McpCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "list", description = "Each server: transport, target, state, tool count, version, last error.")
    static final class ListServers implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--json", description = "Print JSON.") boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (var catalog = new ToolCatalog(SigilCommand.root(spec).settings())) {
                List<McpServerStatus> all = catalog.mcp.status();
                if (json) {
                    out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                            .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
                } else if (all.isEmpty()) {
                    out.println("no MCP servers configured (mcp.servers); see docs/tools.md");
                } else {
                    for (McpServerStatus s : all) {
                        out.printf("%s  %s  %s  %s  %d tools%s%s%n", s.name(), s.state().wire(), s.transport(), s.target(),
                                s.tools(), s.serverVersion() == null ? "" : "  " + s.serverVersion(),
                                s.lastError() == null ? "" : "  error: " + s.lastError());
                        String prefix = s.name() + "__";
                        catalog.registry.tools().stream().filter(t -> t.name().startsWith(prefix)).forEach(t ->
                                out.printf("    %s%s%n", t.name(), t.sideEffects() ? "  (side effects)" : ""));
                    }
                }
                out.flush();
                return all.stream().allMatch(s -> s.state().wire().equals("connected")) ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }

    @Command(name = "ping", description = "Round trip to each server (or the one named); exit 1 if any is unreachable.")
    static final class Ping implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "One server; default: all.") String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (var catalog = new ToolCatalog(SigilCommand.root(spec).settings())) {
                List<String> names = name == null ? catalog.mcp.names() : List.of(name);
                if (names.isEmpty()) {
                    out.println("no MCP servers configured (mcp.servers); see docs/tools.md");
                    out.flush();
                    return ExitCodes.OK;
                }
                boolean allOk = true;
                for (String n : names) {
                    McpConnection c = catalog.mcp.connection(n).orElseThrow(() -> new NotFoundError("no MCP server '"
                            + n + "'; configured: " + String.join(", ", catalog.mcp.names()), "see sigil mcp list"));
                    try {
                        Duration took = c.ping();
                        out.printf("%s  ok  %.1f ms%n", n, took.toNanos() / 1e6);
                    } catch (RuntimeException e) {
                        allOk = false;
                        out.printf("%s  unreachable  %s%n", n, e.getMessage());
                    }
                }
                out.flush();
                return allOk ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }
}
