package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.Sigil;
import io.sigil.evolution.Evaluation;
import io.sigil.evolution.EvolutionListener;
import io.sigil.evolution.OptimizationResult;
import io.sigil.evolution.OptimizeOptions;
import io.sigil.evolution.PromptVersion;
import io.sigil.evolution.SessionCases;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sigil evolve evaluate|optimize|versions|rollback|approve|cases}: prompt evolution of an agent (issue #24,
 * docs/evolution.md). Progress goes to stderr; results to stdout ({@code --json} for the whole result). Off unless
 * SIGIL_USE_EVOLUTION=true. {@code optimize} exits 0 when a prompt was accepted (or waits for approval), 1 otherwise.
 */
@Command(name = "evolve", mixinStandardHelpOptions = true,
        description = "Evaluate and improve an agent's prompt against its test cases and contract (SIGIL_USE_EVOLUTION=true).",
        subcommands = {EvolveCommand.Evaluate.class, EvolveCommand.Optimize.class, EvolveCommand.Versions.class,
                EvolveCommand.Rollback.class, EvolveCommand.Approve.class, EvolveCommand.Cases.class})
final class EvolveCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    abstract static class Base implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        Sigil runtime() { return Sigil.builder().settings(SigilCommand.root(spec).settings()).build(); }

        PrintWriter out() { return spec.commandLine().getOut(); }

        PrintWriter err() { return spec.commandLine().getErr(); }

        void printJson(Object o) throws Exception {
            out().println(JSON.writeValueAsString(o));
            out().flush();
        }

        /** Progress on stderr: a counter of case runs, then each note on its own line. */
        EvolutionListener progress() {
            if (json) return EvolutionListener.NONE;
            return new EvolutionListener() {
                @Override
                public synchronized void caseRun(String phase, int done, int total) {
                    err().printf("\r  %s: %d/%d runs", phase, done, total);
                    if (done == total) err().println();
                    err().flush();
                }

                @Override
                public synchronized void note(String message) {
                    err().println(message);
                    err().flush();
                }
            };
        }
    }

    /** The options evaluate and optimize share. */
    static class Knobs {
        @Option(names = "--repeats", defaultValue = "2", description = "Runs per case; confidence needs 2 or more (default ${DEFAULT-VALUE}).")
        int repeats;
        @Option(names = "--concurrency", defaultValue = "4", description = "Case runs at once (default ${DEFAULT-VALUE}).")
        int concurrency;
        @Option(names = "--budget", defaultValue = "200000", paramLabel = "TOKENS",
                description = "Tokens the whole command may spend (default ${DEFAULT-VALUE}).")
        long budget;
        @Option(names = "--tokens-per-run", defaultValue = "6000", description = "Ceiling of one case run (default ${DEFAULT-VALUE}).")
        long tokensPerRun;
        @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL", description = "Model for rewrites and judges (default: the agent's).")
        String model;

        OptimizeOptions.Builder builder() {
            return OptimizeOptions.builder().repeats(repeats).concurrency(concurrency).tokenBudget(budget)
                    .tokensPerRun(tokensPerRun).model(model);
        }
    }

    @Command(name = "evaluate", description = "Run the agent's test cases with its current prompt: score, pass rate, confidence, cost.")
    static final class Evaluate extends Base {
        @Parameters(paramLabel = "AGENT") String agent;
        @CommandLine.Mixin Knobs knobs = new Knobs();

        @Override
        public Integer call() throws Exception {
            try (var rt = runtime()) {
                var run = rt.evolution().evaluate(agent, knobs.builder().build(), progress());
                Evaluation e = run.result();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("evaluation_id", run.id());
                    m.putAll(e.summary());
                    m.put("case_results", e.caseDetails());
                    printJson(m);
                    return ExitCodes.OK;
                }
                out().printf(Locale.ROOT, "%s: score %.3f, pass rate %.2f, confidence %.2f over %d cases x %d runs%s%n",
                        agent, e.score(), e.passRate(), e.confidence(), e.cases().size(), e.repeats(),
                        e.complete() ? "" : " (incomplete: the token budget ran out, " + e.runsSkipped() + " runs skipped)");
                for (Evaluation.CaseResult c : e.failing()) {
                    out().printf(Locale.ROOT, "  FAIL %s (score %.2f): %s%n", c.caseId(), c.score(), String.join("; ", c.reasons()));
                }
                out().println("cost: " + cost(e.cost().toMap()) + " (events: sigil sessions events " + run.id() + ")");
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "optimize", description = "Improve the agent's prompt (reflective rewrite, mutation, beam search) behind the safety gates.")
    static final class Optimize extends Base {
        @Parameters(paramLabel = "AGENT", arity = "0..1", description = "The agent (not needed with --resume).") String agent;
        @CommandLine.Mixin Knobs knobs = new Knobs();
        @Option(names = "--generations", defaultValue = "3") int generations;
        @Option(names = "--beam", defaultValue = "2", description = "Beam width (default ${DEFAULT-VALUE}).") int beam;
        @Option(names = "--reflective", defaultValue = "2", description = "Reflective rewrites per parent (default ${DEFAULT-VALUE}).") int reflective;
        @Option(names = "--mutations", defaultValue = "2", description = "Mutations per parent (default ${DEFAULT-VALUE}).") int mutations;
        @Option(names = "--held-out", defaultValue = "0.3", description = "Share of cases held out for the gates (default ${DEFAULT-VALUE}).") double heldOut;
        @Option(names = "--seed", defaultValue = "42") long seed;
        @Option(names = "--require-approval", description = "Keep an accepted prompt pending until 'sigil evolve approve'.") boolean approval;
        @Option(names = "--resume", paramLabel = "OPTIMIZATION_ID", description = "Go on with an optimisation a crash cut short.") String resume;
        @CommandLine.Mixin ServerClient server = new ServerClient();

        @Override
        public Integer call() throws Exception {
            if (resume == null && agent == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Name the agent to optimise, or --resume an optimisation");
            }
            OptimizeOptions options = knobs.builder().generations(generations).beamWidth(beam).reflective(reflective)
                    .mutations(mutations).heldOut(heldOut).seed(seed).requireApproval(approval).build();
            if (server.url != null) { // on the server, as a job: --url names it (SIGIL_URL alone keeps it local)
                if (agent == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "Name the agent of the optimisation to resume on the server");
                }
                return new RemoteOptimize(server, SigilCommand.root(spec), out(), err()).run(agent, options, resume, json);
            }
            try (var rt = runtime()) {
                var run = resume != null ? rt.evolution().resume(resume, progress())
                        : rt.evolution().optimize(agent, options, progress());
                OptimizationResult r = run.result();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("optimization_id", run.id());
                    m.put("agent", run.agent());
                    m.putAll(r.toMap());
                    printJson(m);
                } else {
                    printResult(out(), run.agent(), run.id(), r.toMap());
                }
                return r.status() == OptimizationResult.Status.IMPROVED || r.status() == OptimizationResult.Status.PENDING_APPROVAL
                        ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }

    @Command(name = "versions", description = "The agent's prompt versions, oldest first.")
    static final class Versions extends Base {
        @Parameters(paramLabel = "AGENT") String agent;

        @Override
        public Integer call() throws Exception {
            try (var rt = runtime()) {
                var all = rt.evolution().versions(agent);
                if (json) {
                    printJson(all.stream().map(PromptVersion::toMap).toList());
                    return ExitCodes.OK;
                }
                if (all.isEmpty()) out().println(agent + " has no prompt versions yet (sigil evolve optimize " + agent + ")");
                for (PromptVersion v : all) {
                    out().printf(Locale.ROOT, "%-4s %-16s score %.3f  confidence %.2f  drift %.2f  parent %-4s gen %d  %s%n",
                            v.versionId(), v.status().wireName(), v.score(), v.confidence(), v.drift(),
                            v.parent() == null ? "-" : v.parent(), v.generation(), v.createdAt());
                }
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "rollback", description = "Make a stored version the agent's prompt again.")
    static final class Rollback extends Base {
        @Parameters(index = "0", paramLabel = "AGENT") String agent;
        @Parameters(index = "1", paramLabel = "VERSION") String version;

        @Override
        public Integer call() throws Exception {
            try (var rt = runtime()) {
                PromptVersion v = rt.evolution().rollback(agent, version);
                if (json) printJson(v.toMap());
                else out().println(agent + " now runs with prompt version " + v.versionId());
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "approve", description = "Approve a version pending approval (or --reject it).")
    static final class Approve extends Base {
        @Parameters(index = "0", paramLabel = "AGENT") String agent;
        @Parameters(index = "1", paramLabel = "VERSION") String version;
        @Option(names = "--reject", description = "Reject it instead.") boolean reject;

        @Override
        public Integer call() throws Exception {
            try (var rt = runtime()) {
                PromptVersion v = rt.evolution().approve(agent, version, !reject);
                if (json) printJson(v.toMap());
                else out().println(agent + " version " + v.versionId() + " is " + v.status().wireName());
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "cases", description = "Make test cases from the agent's recorded sessions (appended to its cases.jsonl).")
    static final class Cases extends Base {
        @Parameters(paramLabel = "AGENT") String agent;
        @Option(names = "--from-sessions", required = true, description = "Take the cases from recorded sessions.") boolean fromSessions;
        @Option(names = "--limit", defaultValue = "100", description = "At most this many cases (default ${DEFAULT-VALUE}).") int limit;

        @Override
        public Integer call() throws Exception {
            try (var rt = runtime()) {
                SessionCases.Harvest h = rt.evolution().casesFromSessions(agent, limit);
                if (json) {
                    printJson(Map.of("cases", h.cases().size(), "passed", h.passed(), "failed", h.failed(),
                            "unjudged", h.unjudged(), "sessions", h.sessions()));
                } else {
                    out().printf("%d cases from %d sessions of %s (%d passed its contract, %d failed, %d not judged) -> %s%n",
                            h.cases().size(), h.sessions(), agent, h.passed(), h.failed(), h.unjudged(),
                            io.sigil.evolution.TestCases.dir(rt.settings().agents().dir(), agent).resolve(io.sigil.evolution.TestCases.JSONL_FILE));
                }
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    /** An optimisation's result (its wire form) as the command prints it, run here or as a job on a server. */
    static void printResult(PrintWriter out, String agent, String id, Map<?, ?> r) {
        out.println(r.get("status") + ": " + r.get("reason"));
        if (r.get("version_id") != null) {
            Object v = r.get("version_id");
            out.println("version " + v + ("pending_approval".equals(r.get("status"))
                    ? " waits for approval: sigil evolve approve " + agent + " " + v
                    : " is now the prompt of " + agent + " (undo: sigil evolve rollback " + agent + " <version>)"));
        }
        out.println("cost: " + cost((Map<?, ?>) r.get("cost")) + " (optimization " + id + ")");
        out.flush();
    }

    static String cost(Map<?, ?> c) {
        return c.get("model_calls") + " model calls, " + c.get("total_tokens") + " tokens (" + c.get("input_tokens")
                + " in, " + c.get("output_tokens") + " out)";
    }
}
