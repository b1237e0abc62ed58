package io.sigil.cli;

import io.sigil.events.EventCodec;
import io.sigil.events.Payloads;
import io.sigil.events.RecordedEvent;
import io.sigil.events.EventStore;
import io.sigil.sessions.Session;
import io.sigil.sessions.SessionManager;
import io.sigil.sessions.SessionSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sigil sessions list|show|events|replay|end|delete}: sessions as their events rebuild them. */
@Command(name = "sessions", description = "List, inspect, replay, end and delete sessions.",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Show.class, SessionsCommand.Events.class,
                SessionsCommand.Replay.class, SessionsCommand.End.class, SessionsCommand.Delete.class})
final class SessionsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    static String time(Instant t) { return t == null ? "-" : TIME.format(t); }

    /** Base of the subcommands: the store options and the output writer. */
    abstract static class Sub implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        StateOptions state;
        /** Where the store is, for messages: its directory or database. */
        String where;

        PrintWriter out() { return spec.commandLine().getOut(); }

        @Override
        public Integer call() {
            try (StateOptions.Opened opened = state.open(spec, writes())) {
                where = opened.where();
                run(new SessionManager(opened.store()), opened.store());
            }
            out().flush();
            return ExitCodes.OK;
        }

        boolean writes() { return false; }

        abstract void run(SessionManager sessions, EventStore store);
    }

    @Command(name = "list", description = "Sessions, most recently active first.")
    static final class ListSessions extends Sub {
        @Option(names = "--all", description = "Include archived sessions.")
        boolean all;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        void run(SessionManager sessions, EventStore store) {
            List<SessionSummary> rows = sessions.list(all);
            if (json) {
                out().println(SessionJson.write(rows));
                return;
            }
            if (rows.isEmpty()) {
                out().println("No sessions in " + where + ".");
                return;
            }
            String fmt = "%-36s  %-8s  %-16s  %7s  %9s  %-19s  %-19s%n";
            out().printf(fmt, "SESSION", "STATUS", "AGENT", "EVENTS", "TOKENS", "STARTED (UTC)", "LAST EVENT (UTC)");
            for (SessionSummary s : rows) {
                out().printf(fmt, s.id(), s.status().wireName(), s.agentId() == null ? "-" : s.agentId(), s.events(),
                        s.tokens().total(), time(s.startedAt()), time(s.lastEventAt()));
            }
        }
    }

    /** A command that rebuilds one session and prints it: as JSON with {@code --json}, else its own way. */
    abstract static class SessionView extends Sub {
        @Parameters(paramLabel = "SESSION_ID")
        String id;
        @Option(names = "--json", description = "Print the rebuilt session as JSON.")
        boolean json;

        @Override
        final void run(SessionManager sessions, EventStore store) {
            Session s = sessions.load(id);
            if (json) out().println(SessionJson.write(s));
            else print(s, out());
        }

        abstract void print(Session s, PrintWriter o);
    }

    @Command(name = "show", description = "One session's state and totals.")
    static final class Show extends SessionView {
        @Override
        void print(Session s, PrintWriter o) {
            o.println("Session     " + s.id());
            o.println("Status      " + s.status().wireName());
            o.println("Agent       " + (s.agentId() == null ? "-" : s.agentId()));
            if (s.userId() != null) o.println("User        " + s.userId());
            if (s.owner() != null) o.println("Owner       " + s.owner());
            if (s.lastRun() != io.sigil.sessions.RunState.NONE) {
                o.println("Last run    " + s.lastRun().wireName() + (s.lastRun() == io.sigil.sessions.RunState.INTERRUPTED
                        ? " (cut short by a crash or kill; see its run.interrupted event)" : ""));
            }
            o.println("Started     " + time(s.startedAt()) + " UTC");
            o.println("Last event  " + time(s.lastEventAt()) + " UTC");
            if (s.endedAt() != null) o.println("Ended       " + time(s.endedAt()) + " UTC");
            o.println("Events      " + s.version());
            o.println("Tokens      " + s.tokens().total() + " (input " + s.tokens().inputTokens() + ", output "
                    + s.tokens().outputTokens() + ", " + s.tokens().calls() + " model calls)");
            o.println("Messages    " + s.messages().size());
            o.println("Tool calls  " + s.toolCalls().size());
            if (s.currentPlan() != null) {
                o.println("Plan        " + s.currentPlan().planId() + ": " + s.currentPlan().completedSteps().size() + "/"
                        + s.currentPlan().steps().size() + " steps done"
                        + (s.currentPlan().status() == null ? "" : " (" + s.currentPlan().status() + ")"));
            }
            o.println("Memories    " + s.memoryItems().size());
            o.println("Contracts   " + s.contractValidations().size() + " validations");
            o.println("Errors      " + s.errors().size());
            if (!s.errors().isEmpty()) {
                Payloads.ErrorOccurred last = s.errors().getLast();
                // Run errors carry their code already ("[CANCELLED] ...").
                o.println("Last error  " + (last.message().startsWith("[") ? "" : "[" + last.code() + "] ") + last.message());
            }
        }
    }

    @Command(name = "events", description = "A session's events in order.")
    static final class Events extends Sub {
        @Parameters(paramLabel = "SESSION_ID")
        String id;
        @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type, e.g. llm.called.")
        String type;
        @Option(names = "--json", description = "Print a JSON array of the events.")
        boolean json;

        @Override
        void run(SessionManager sessions, EventStore store) {
            List<RecordedEvent> events = sessions.events(id, type);
            var codec = new EventCodec();
            if (json) {
                out().println(SessionJson.write(events.stream().map(codec::toMap).toList()));
                return;
            }
            for (RecordedEvent e : events) {
                out().printf("%5d  %s  %-28s %s%n", e.version(), time(e.event().timestamp()), e.eventType(),
                        SessionJson.write(e.event().payload()).replaceAll("\\s*\\n\\s*", " "));
            }
        }
    }

    @Command(name = "replay", description = "Rebuild a session from its events and print what it holds.")
    static final class Replay extends SessionView {
        @Override
        void print(Session s, PrintWriter o) {
            o.println("Replayed " + s.version() + " events of session " + s.id() + " (" + s.status().wireName() + ")");
            o.println();
            o.println("Messages:");
            for (Payloads.MessageAdded m : s.messages()) o.println("  [" + m.role() + "] " + m.content());
            if (!s.toolCalls().isEmpty()) {
                o.println("Tool calls:");
                for (Payloads.ToolCalled t : s.toolCalls()) {
                    o.println("  " + t.tool() + " " + t.arguments() + (t.error() != null ? " -> error: " + t.error()
                            : " -> " + t.result()));
                }
            }
            if (s.currentPlan() != null) {
                o.println("Plan " + s.currentPlan().planId() + (s.currentPlan().goal() == null ? "" : ": " + s.currentPlan().goal()));
                for (Payloads.PlanStep step : s.currentPlan().steps()) {
                    boolean done = s.currentPlan().completedSteps().contains(step.stepId());
                    o.println("  [" + (done ? "x" : " ") + "] " + step.stepId() + " " + step.description());
                }
            }
            if (!s.memoryItems().isEmpty()) {
                o.println("Memory items:");
                for (Map<String, Object> m : s.memoryItems()) o.println("  " + m);
            }
            if (!s.contractValidations().isEmpty()) {
                o.println("Contract validations:");
                for (Payloads.ContractValidation v : s.contractValidations()) {
                    o.println("  " + v.contract() + " attempt " + v.attempt() + ": " + (v.passed() ? "passed" : "failed " + v.errors()));
                }
            }
            if (!s.errors().isEmpty()) {
                o.println("Errors:");
                for (Payloads.ErrorOccurred e : s.errors()) o.println("  [" + e.code() + "] " + e.message());
            }
            o.println("Tokens: " + s.tokens().total() + " (input " + s.tokens().inputTokens() + ", output "
                    + s.tokens().outputTokens() + ")");
        }
    }

    @Command(name = "end", description = "End an active session; it accepts no more events.")
    static final class End extends Sub {
        @Parameters(paramLabel = "SESSION_ID")
        String id;
        @Option(names = "--reason", defaultValue = "ended from the command line", description = "Recorded in session.ended.")
        String reason;

        @Override
        boolean writes() { return true; }

        @Override
        void run(SessionManager sessions, EventStore store) {
            Session s = sessions.end(id, reason);
            out().println("Session " + s.id() + " is " + s.status().wireName() + " (" + s.version() + " events).");
        }
    }

    @Command(name = "delete", description = "Delete a session and all its events.")
    static final class Delete extends Sub {
        @Parameters(paramLabel = "SESSION_ID")
        String id;

        @Override
        boolean writes() { return true; }

        @Override
        void run(SessionManager sessions, EventStore store) {
            sessions.delete(id);
            out().println("Deleted session " + id + ".");
        }
    }
}
