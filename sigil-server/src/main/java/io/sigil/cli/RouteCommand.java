package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.config.Settings;
import io.sigil.llm.ModelResolver;
import io.sigil.routing.ComplexityAssessment;
import io.sigil.routing.Intent;
import io.sigil.routing.RouteDecision;
import io.sigil.routing.RouteFactors;
import io.sigil.routing.Router;
import io.sigil.routing.Routers;
import io.sigil.server.routing.RouteExplanation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sigil route "..."}: shows where a request would go and why. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Explain how a request is routed: intent, matched keywords, complexity factors, subsystems.")
public final class RouteCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The request (words are joined with spaces).")
    List<String> text;

    @Option(names = "--mode", description = "keyword or llm (default: routing.mode from settings).")
    String mode;

    /** {@code -m/--model} and {@code --base-url}: the model for llm routing (default: the configured model). */
    @Mixin
    LlmCommand.ModelOptions modelOptions;

    @Option(names = "--json", description = "Print the decision as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Settings settings = SigilCommand.root(spec).settings();
        String request = String.join(" ", text);
        Router router = Routers.forMode(mode == null ? settings.routing().mode() : mode,
                () -> new ModelResolver(modelOptions.apply(settings.llm())).resolve(modelOptions.model), null);
        RouteDecision d = router.route(request);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(toJson(d, settings.features())));
        } else {
            explain(d, request, settings.features(), out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static Map<String, Object> toJson(RouteDecision d, Settings.Features features) {
        return RouteExplanation.toJson(d, features);
    }

    private static void explain(RouteDecision d, String request, Settings.Features features, PrintWriter out) {
        RouteFactors f = d.factors();
        out.printf(Locale.ROOT, "intent:      %s -> handler %s (confidence %.2f)%n", d.intent(), d.handler(), d.confidence());
        out.printf(Locale.ROOT, "router:      %s (%s)%n", f.router(), f.rule());
        if (f.matchedKeywords().isEmpty()) {
            out.println("keywords:    none matched");
        } else {
            String label = "keywords:    ";
            for (Intent i : Intent.values()) {
                List<String> kw = f.matchedKeywords().get(i);
                if (kw == null) continue;
                Double score = f.intentScores().get(i);
                out.printf(Locale.ROOT, "%s%-15s %s%s%n", label, i.wireName(), String.join(", ", kw),
                        score == null ? "" : String.format(Locale.ROOT, " (score %.2f)", score));
                label = "             ";
            }
        }
        ComplexityAssessment c = f.complexity();
        out.printf(Locale.ROOT, "complexity:  %.2f = min(0.25 x (%.2f + %.2f + %.2f + %.2f) x %.1f, cap %.1f)%n",
                d.complexity(), c.lengthFactor(), c.toolFactor(), c.domainFactor(), c.decisionFactor(),
                c.multiplier(), c.cap());
        out.printf(Locale.ROOT, "  length     %.2f  (%d chars / 500)%n", c.lengthFactor(), request.strip().length());
        out.printf(Locale.ROOT, "  tools      %.2f  %s%n", c.toolFactor(), words(c.toolWords(), 5));
        out.printf(Locale.ROOT, "  domain     %.2f  %s%n", c.domainFactor(), words(c.domainWords(), 4));
        out.printf(Locale.ROOT, "  decisions  %.2f  %s%n", c.decisionFactor(), words(c.decisionWords(), 4));
        out.println("subsystems:");
        out.printf(Locale.ROOT, "  planning   %-3s (complexity %s 0.5)%s%n", yes(d.usePlanning()),
                d.usePlanning() ? ">" : "<=", enabled(features.planning()));
        out.printf(Locale.ROOT, "  memory     %-3s (%s)%s%n", yes(d.useMemory()),
                d.useMemory() ? "agent or memory intent" : "not needed for " + d.intent(), enabled(features.memory()));
        out.printf(Locale.ROOT, "  contracts  %-3s (complexity %s 0.7)%s%n", yes(d.useContracts()),
                d.useContracts() ? ">" : "<=", enabled(features.contracts()));
        if (f.note() != null) out.println("note:        " + f.note());
    }

    private static String words(List<String> words, int divisor) {
        return "(" + words.size() + " / " + divisor + (words.isEmpty() ? "" : ": " + String.join(", ", words)) + ")";
    }

    private static String yes(boolean b) { return b ? "yes" : "no"; }

    private static String enabled(boolean on) { return on ? "" : "  [off in settings]"; }

    /** An insertion-ordered JSON object from key, value pairs. */
    static Map<String, Object> obj(Object... keysAndValues) { return RouteExplanation.obj(keysAndValues); }

    static double round(double v) { return RouteExplanation.round(v); }
}
