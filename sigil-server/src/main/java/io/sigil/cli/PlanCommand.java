package io.sigil.cli;

import io.sigil.planning.Plan;
import io.sigil.planning.PlanCache;
import io.sigil.llm.ChatModel;
import io.sigil.llm.test.TestModel;
import io.sigil.server.plans.PlanView;
import io.sigil.planning.PlanStep;
import io.sigil.planning.Planner;
import io.sigil.reasoning.StrategyName;
import io.sigil.Sigil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sigil plan}: show the step DAG the model makes for a goal, without running it. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Show the plan for a goal without running it.")
final class PlanCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "GOAL") List<String> words;

    @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL") String model;

    @Option(names = "--max-steps", defaultValue = "10", description = "At most this many steps (1-20, default ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--json", description = "Print the plan as JSON.") boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (var rt = Sigil.builder().settings(SigilCommand.root(spec).settings()).build()) {
            ChatModel chatModel = rt.models().resolve(model);
            Planner planner = new Planner(chatModel, new PlanCache(Clock.systemUTC(), Duration.ofHours(24), 10),
                    Clock.systemUTC(), Math.max(1, Math.min(20, maxSteps)),
                    Arrays.stream(StrategyName.values()).map(StrategyName::wireName).toList());
            Planner.Outcome outcome = planner.plan(String.join(" ", words), rt.tools().specs(), null, b -> b);
            Plan plan = outcome.plan();
            if (json) {
                out.println(RunCommand.mapper().writeValueAsString(PlanView.toJson(outcome, chatModel)));
            } else {
                out.println("plan " + plan.planId() + " for: " + plan.goal());
                for (PlanStep s : plan.steps()) {
                    out.println("  " + s.stepId() + " [" + s.type().wireName() + "] " + s.description()
                            + (s.toolName() == null ? "" : "  tool " + s.toolName() + " " + s.toolArgs())
                            + (s.strategyHint() == null ? "" : "  strategy " + s.strategyHint())
                            + (s.dependencies().isEmpty() ? "" : "  after " + String.join(", ", s.dependencies())));
                }
                out.println("(" + outcome.usage().totalTokens() + " tokens, " + outcome.modelCalls() + " model call(s))");
                if (TestModel.NAME.equals(chatModel.provider())) {
                    spec.commandLine().getErr().println("warning " + TestModel.SYNTHETIC_WARNING);
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
