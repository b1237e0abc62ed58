package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code sigil plans}: the plans a running server's runs execute (GET/POST /plans...). A plan lives in the process
 * that executes it, so these commands talk to the server; an ended plan is read from its session.
 */
@Command(name = "plans", mixinStandardHelpOptions = true,
        description = "List, show, pause, resume or abort the plans a running Sigil server is executing.",
        subcommands = {PlansCommand.ListPlans.class, PlansCommand.Get.class, PlansCommand.Pause.class,
                PlansCommand.Resume.class, PlansCommand.Abort.class})
final class PlansCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlansCommand() { }

    /** Options every subcommand shares. */
    abstract static class Base implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin ServerClient server;
        @Option(names = "--json", description = "Print the server's JSON.") boolean json;

        SigilCommand root() { return SigilCommand.root(spec); }

        PrintWriter out() { return spec.commandLine().getOut(); }

        int print(JsonNode plan) throws Exception {
            if (json) {
                out().println(JSON.writeValueAsString(plan));
            } else {
                out().println("plan " + plan.path("plan_id").asText() + "  " + plan.path("status").asText()
                        + "  session " + plan.path("session_id").asText());
                out().println("  goal: " + plan.path("goal").asText());
                for (JsonNode s : plan.path("steps")) {
                    out().printf("  %-10s %-16s %s%s%n", s.path("status").asText(), s.path("step_id").asText(),
                            s.path("description").asText(), s.hasNonNull("error") ? "  (" + s.path("error").asText() + ")" : "");
                }
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Plans executing now (yours; all for an admin key), or with --session every plan of a session.")
    static final class ListPlans extends Base {
        @Option(names = "--session", paramLabel = "SESSION_ID") String session;

        @Override
        public Integer call() throws Exception {
            JsonNode page = server.get(root(), "plans?limit=100" + (session == null ? "" : "&session_id=" + enc(session)));
            if (json) {
                out().println(JSON.writeValueAsString(page));
            } else if (page.path("items").isEmpty()) {
                out().println(session == null ? "no plan is executing" : "session " + session + " has no plan");
            } else {
                for (JsonNode p : page.path("items")) {
                    long done = 0;
                    for (JsonNode s : p.path("steps")) if (s.path("status").asText().equals("completed")) done++;
                    out().printf("%s  %-9s %d/%d steps  %s%n", p.path("plan_id").asText(), p.path("status").asText(), done,
                            p.path("steps").size(), p.path("goal").asText());
                }
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "One plan with its steps.")
    static final class Get extends Base {
        @Parameters(paramLabel = "PLAN_ID") String planId;
        @Option(names = "--session", paramLabel = "SESSION_ID", description = "Read an ended plan from this session.") String session;

        @Override
        public Integer call() throws Exception {
            return print(server.get(root(), "plans/" + enc(planId) + (session == null ? "" : "?session_id=" + enc(session))));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Running steps finish; no new step starts until resume.")
    static final class Pause extends Base {
        @Parameters(paramLabel = "PLAN_ID") String planId;

        @Override
        public Integer call() throws Exception { return print(server.post(root(), "plans/" + enc(planId) + "/pause")); }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused plan.")
    static final class Resume extends Base {
        @Parameters(paramLabel = "PLAN_ID") String planId;

        @Override
        public Integer call() throws Exception { return print(server.post(root(), "plans/" + enc(planId) + "/resume")); }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Cancel running steps and skip the rest; the plan's run ends as cancelled.")
    static final class Abort extends Base {
        @Parameters(paramLabel = "PLAN_ID") String planId;

        @Override
        public Integer call() throws Exception { return print(server.post(root(), "plans/" + enc(planId) + "/abort")); }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }
}
