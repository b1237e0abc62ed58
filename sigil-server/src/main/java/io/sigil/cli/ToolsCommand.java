package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import io.sigil.llm.ToolCall;
import io.sigil.mcp.client.McpServerStatus;
import io.sigil.services.Services;
import io.sigil.tools.Tool;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sigil tools list|call}: the tools agents can call (built in, services, MCP servers) and their state. */
@Command(name = "tools", mixinStandardHelpOptions = true,
        description = "List the tools agents can call (built in, services, MCP servers) with their state, or call one.",
        subcommands = {ToolsCommand.ListTools.class, ToolsCommand.Call.class})
final class ToolsCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "list", description = {"Every tool with its source and state: enabled tools, services disabled"
            + " for want of a key, MCP servers that are down.", "Side-effect tools (send, call, create, update) are"
            + " marked; agents get them only through side_effect_tools."})
    static final class ListTools implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--json", description = "Print JSON rows: {name, source, state, side_effects, description}.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (var catalog = new ToolCatalog(SigilCommand.root(spec).settings())) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Tool t : catalog.registry.tools()) {
                    rows.add(row(t.name(), t.source(), "enabled", t.sideEffects(), t.description()));
                }
                for (Services.Service s : catalog.services.all()) {
                    if (!s.enabled()) rows.add(row("-", "service:" + s.name(), "disabled", false, s.detail()));
                }
                for (McpServerStatus s : catalog.mcp.status()) {
                    if (s.tools() == 0 || !s.state().wire().equals("connected")) {
                        rows.add(row("-", "mcp:" + s.name(), s.state().wire(), false,
                                s.lastError() == null ? s.transport() + " " + s.target() : s.lastError()));
                    }
                }
                if (json) {
                    out.println(JSON.writeValueAsString(rows));
                } else {
                    int name = rows.stream().mapToInt(r -> r.get("name").toString().length()).max().orElse(4);
                    int source = rows.stream().mapToInt(r -> r.get("source").toString().length()).max().orElse(6);
                    out.printf("%-" + name + "s  %-" + source + "s  %-10s  %-12s  %s%n", "NAME", "SOURCE", "STATE",
                            "SIDE_EFFECTS", "DESCRIPTION");
                    for (var r : rows) {
                        String d = r.get("description").toString().replaceAll("\\s+", " ");
                        out.printf("%-" + name + "s  %-" + source + "s  %-10s  %-12s  %s%n", r.get("name"), r.get("source"),
                                r.get("state"), (Boolean) r.get("side_effects") ? "yes" : "no",
                                d.length() <= 90 ? d : d.substring(0, 87) + "...");
                    }
                }
                out.flush();
                return ExitCodes.OK;
            }
        }

        private static Map<String, Object> row(String name, String source, String state, boolean sideEffects,
                                               String description) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", name);
            r.put("source", source);
            r.put("state", state);
            r.put("side_effects", sideEffects);
            r.put("description", description == null ? "" : description);
            return r;
        }
    }

    @Command(name = "call", description = {"Call a tool as an agent would: arguments checked against its schema, its"
            + " timeout and result cap applied.", "Exit 0 with the result on stdout, 1 when the tool reported an error."})
    static final class Call implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "The tool, e.g. current_time, web_search, everything__echo.")
        String name;
        @Option(names = "--args", paramLabel = "JSON", defaultValue = "{}", description = "The arguments object (default {}).")
        String args;
        @Option(names = "--yes", description = "Confirm calling a tool with side effects (it sends, calls, creates or updates).")
        boolean yes;

        @Override
        public Integer call() {
            JsonNode arguments;
            try {
                arguments = JSON.readTree(args);
            } catch (IOException e) {
                throw new InvalidInputError("--args is not JSON: " + e.getMessage(), "e.g. --args '{\"query\": \"MCP\"}'");
            }
            if (arguments == null || !arguments.isObject()) {
                throw new InvalidInputError("--args must be a JSON object", "e.g. --args '{\"timezone\": \"UTC\"}'");
            }
            try (var catalog = new ToolCatalog(SigilCommand.root(spec).settings())) {
                Tool tool = catalog.registry.lookup(name).orElseThrow(() -> new NotFoundError("no tool '" + name
                        + "'; tools: " + String.join(", ", catalog.registry.names()), "see sigil tools list"));
                if (tool.sideEffects() && !yes) {
                    throw new InvalidInputError("tool '" + name + "' has side effects (it sends, calls, creates or"
                            + " updates something)", "pass --yes to call it anyway");
                }
                ToolResult r = new ToolExecutor(catalog.registry).execute(new ToolCall("cli", name, arguments));
                PrintWriter out = r.isError() ? spec.commandLine().getErr() : spec.commandLine().getOut();
                out.println(r.output());
                if (r.truncated()) out.println("[truncated: first " + r.output().length() + " of " + r.originalLength() + " characters]");
                out.flush();
                return r.isError() ? ExitCodes.FAILURE : ExitCodes.OK;
            }
        }
    }
}
