package io.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sigil.config.Settings;
import io.sigil.errors.InvalidInputError;
import io.sigil.guard.Evaluation;
import io.sigil.guard.InjectionGuard;
import io.sigil.guard.InjectionMode;
import io.sigil.guard.LabelledSet;
import io.sigil.guard.InjectionDetector;
import io.sigil.guard.InjectionDetectors;
import io.sigil.guard.LearnedInjectionDetector;
import io.sigil.guard.RateInterval;
import io.sigil.guard.Signal;
import io.sigil.guard.Verdict;
import io.sigil.runtime.GuardWiring;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sigil guard}: the prompt-injection guard from the command line. {@code check} judges one text (exit 0
 * when clean, {@link #INJECTION} when it is judged an injection, whatever the mode); {@code eval} measures the
 * detector on labelled JSON Lines files, per file, with 95% intervals; {@code train} fits the learned detector's head
 * ({@link GuardTrainCommand}). Both use the detector {@code guard.detector} names unless {@code --detector} says
 * otherwise.
 */
@Command(name = "guard", mixinStandardHelpOptions = true,
        description = "Check text for prompt injection and evaluate the detector on labelled data.",
        subcommands = {GuardCommand.Check.class, GuardCommand.Eval.class, GuardTrainCommand.class})
public final class GuardCommand implements Runnable {

    /** Exit code of {@code guard check} when the text is judged an injection (flagged, blocked or sanitized). */
    public static final int INJECTION = ExitCodes.FAILURE;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Judge one text. Exit 0: clean; exit 1: judged an injection (in any mode).",
                    "Pass '-' to read the text from standard input."})
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TEXT", description = "The text to check, or '-' for standard input.")
        String text;

        @Option(names = "--mode", paramLabel = "MODE",
                description = "flag, block or sanitize (default: security.injection_mode from settings).")
        String mode;

        @Option(names = "--json", description = "Print the verdict as JSON.")
        boolean json;

        @Option(names = "--detector", paramLabel = "NAME", description = "learned or rules (default: guard.detector).")
        String detector;

        @Override
        public Integer call() {
            String input = "-".equals(text) ? readStdin() : text;
            String configured = mode != null ? mode : settings(spec).security().injectionMode();
            InjectionMode m;
            try {
                m = InjectionMode.parse(configured);
            } catch (io.sigil.errors.ConfigError e) {
                throw new InvalidInputError(e.getMessage(), "use --mode flag, --mode block or --mode sanitize");
            }
            Verdict v;
            try (GuardWiring wiring = new GuardWiring(settings(spec), null)) {
                v = new InjectionGuard(detector(spec, detector, wiring), m).check(input);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) out.println(toJson(verdictJson(v)));
            else printVerdict(out, v);
            out.flush();
            return v.injection() ? INJECTION : ExitCodes.OK;
        }

        private static void printVerdict(PrintWriter out, Verdict v) {
            out.printf(Locale.ROOT, "verdict: %s (mode %s)%n", v.action().name().toLowerCase(Locale.ROOT), v.mode().wireName());
            out.printf(Locale.ROOT, "score:   %.4f (threshold %.4f)%n", v.score(), v.threshold());
            if (v.signals().isEmpty()) out.println("signals: none");
            else {
                out.println("signals:");
                for (Signal s : v.signals()) {
                    out.printf(Locale.ROOT, "  %-44s %.2f  [%d,%d) \"%s\"%n", s.name(), s.weight(), s.start(), s.end(),
                            abbreviate(s.match()));
                }
            }
            if (v.action() == Verdict.Action.SANITIZED) out.println("sanitized: " + v.text());
        }

        private static Map<String, Object> verdictJson(Verdict v) {
            var m = new LinkedHashMap<String, Object>();
            m.put("verdict", v.action().name().toLowerCase(Locale.ROOT));
            m.put("injection", v.injection());
            m.put("mode", v.mode().wireName());
            m.put("score", v.score());
            m.put("threshold", v.threshold());
            m.put("signals", v.signals().stream().map(s -> Map.of("name", s.name(),
                    "family", s.family().name().toLowerCase(Locale.ROOT), "weight", s.weight(),
                    "start", s.start(), "end", s.end(), "match", s.match())).toList());
            if (v.action() == Verdict.Action.SANITIZED) m.put("sanitized", v.text());
            return m;
        }

        private String readStdin() {
            try {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Evaluate the detector on labelled JSON Lines files: one {\"text\": ..., \"label\": 0|1} a line,",
                    "1 = injection. Each file is reported on its own, with 95% intervals beside the rates.",
                    "Bad lines are reported with their line numbers and skipped."})
    static final class Eval implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "A labelled .jsonl file (repeatable).")
        List<Path> files;

        @Option(names = "--detector", paramLabel = "NAME", description = "learned or rules (default: guard.detector).")
        String detector;

        @Option(names = "--json", description = "Print the results as JSON.")
        boolean json;

        @Option(names = "--show-errors", description = "Also list the line numbers of missed injections and false alarms.")
        boolean showErrors;

        @Override
        public Integer call() {
            var sets = new LinkedHashMap<Path, LabelledSet>();
            PrintWriter err = spec.commandLine().getErr();
            for (Path file : files) {
                LabelledSet set = LabelledSet.read(file);
                for (LabelledSet.Problem p : set.problems()) {
                    err.printf("warning: %s line %d skipped: %s%n", file, p.line(), p.reason());
                }
                if (set.examples().isEmpty()) {
                    throw new InvalidInputError("No usable lines in " + file,
                            "each line must be a JSON object {\"text\": string, \"label\": 0 or 1}");
                }
                sets.put(file, set);
            }
            err.flush();
            var results = new ArrayList<Map<String, Object>>();
            PrintWriter out = spec.commandLine().getOut();
            try (GuardWiring wiring = new GuardWiring(settings(spec), null)) {
                InjectionDetector d = detector(spec, detector, wiring);
                if (!json) out.println("detector: " + name(d));
                sets.forEach((file, set) -> {
                    Evaluation e = Evaluation.of(d, set);
                    if (json) results.add(evaluationJson(file, name(d), e));
                    else printEvaluation(out, file, e);
                });
            }
            if (json) out.println(toJson(results.size() == 1 ? results.getFirst() : results));
            out.flush();
            return ExitCodes.OK;
        }

        private void printEvaluation(PrintWriter out, Path file, Evaluation e) {
            out.println(file + ":");
            out.printf(Locale.ROOT, "  examples:   %d (%d injections, %d benign), %d lines skipped%n", e.total(), e.positives(),
                    e.negatives(), e.problems().size());
            out.printf(Locale.ROOT, "  threshold:  %.4f%n", e.threshold());
            out.printf(Locale.ROOT, "  confusion:  TP %d  FP %d  TN %d  FN %d%n", e.truePositives(), e.falsePositives(),
                    e.trueNegatives(), e.falseNegatives());
            out.printf(Locale.ROOT, "  TPR (recall, catch rate): %s%n", e.recallInterval().describe());
            out.printf(Locale.ROOT, "  FPR (benign flagged):     %s%n", e.falsePositiveInterval().describe());
            out.printf(Locale.ROOT, "  precision:                %s%n", pct(e.precision()));
            out.printf(Locale.ROOT, "  F1:                       %s%n", Double.isNaN(e.f1()) ? "n/a" : String.format(Locale.ROOT, "%.4f", e.f1()));
            if (showErrors) {
                out.println("  missed injections (lines): " + e.missed());
                out.println("  false alarms (lines):      " + e.falseAlarms());
            }
        }

        private Map<String, Object> evaluationJson(Path file, String detectorName, Evaluation e) {
            var m = new LinkedHashMap<String, Object>();
            m.put("file", file.toString());
            m.put("detector", detectorName);
            m.put("examples", e.total());
            m.put("injections", e.positives());
            m.put("benign", e.negatives());
            m.put("threshold", e.threshold());
            m.put("true_positives", e.truePositives());
            m.put("false_positives", e.falsePositives());
            m.put("true_negatives", e.trueNegatives());
            m.put("false_negatives", e.falseNegatives());
            m.put("true_positive_rate", nullIfNaN(e.truePositiveRate()));
            m.put("true_positive_rate_95", interval(e.recallInterval()));
            m.put("false_positive_rate", nullIfNaN(e.falsePositiveRate()));
            m.put("false_positive_rate_95", interval(e.falsePositiveInterval()));
            m.put("precision", nullIfNaN(e.precision()));
            m.put("recall", nullIfNaN(e.recall()));
            m.put("f1", nullIfNaN(e.f1()));
            m.put("skipped_lines", e.problems().stream().map(p -> Map.of("line", p.line(), "reason", p.reason())).toList());
            if (showErrors) {
                m.put("missed_lines", e.missed());
                m.put("false_alarm_lines", e.falseAlarms());
            }
            return m;
        }

        private static List<Double> interval(RateInterval i) {
            return Double.isNaN(i.low()) ? null : List.of(i.low(), i.high());
        }
    }

    private static Settings settings(CommandLine.Model.CommandSpec spec) {
        return SigilCommand.root(spec).settings();
    }

    /** The configured detector, or the one {@code --detector} names; a bad name is the user's mistake (exit 2). */
    static InjectionDetector detector(CommandLine.Model.CommandSpec spec, String name, GuardWiring wiring) {
        if (name != null && !name.equals(InjectionDetectors.LEARNED) && !name.equals(InjectionDetectors.RULES)) {
            throw new InvalidInputError("Unknown detector '" + name + "'", "use --detector learned or --detector rules");
        }
        return wiring.detector(name);
    }

    private static String name(InjectionDetector d) {
        return d instanceof LearnedInjectionDetector ? InjectionDetectors.LEARNED : InjectionDetectors.RULES;
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Double nullIfNaN(double d) {
        return Double.isNaN(d) ? null : d;
    }

    private static String pct(double d) {
        return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * d);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
