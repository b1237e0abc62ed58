package io.sigil.bench.peers;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The medians over rounds of each contender's measurements, with their ratios to the raw call. */
final class Report {
    private final List<String> names;
    private final Map<String, List<Measurement>> results;

    Report(List<String> names, Map<String, List<Measurement>> results) {
        this.names = names;
        this.results = results;
    }

    void printTable(PrintStream out) {
        out.println();
        out.println("Medians over rounds; (x raw) is the ratio to the raw call in the same run.");
        out.println();
        out.println("| contender | scenario | CPU µs/task | alloc KiB/task | tasks/s at 16 threads | p50 ms | p99 ms "
                + "| requests/task | bytes/request | bytes/task |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (LeadTask.Scenario s : LeadTask.Scenario.values()) {
            for (String n : names) {
                String key = n + " " + s;
                out.printf("| %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %.0f | %s |%n", n, s,
                        cell(key, s, m -> m.cpuNanosPerTask() / 1e3, "%.0f"),
                        cell(key, s, m -> m.allocatedBytesPerTask() / 1024, "%.0f"),
                        cell(key, s, Measurement::tasksPerSecond, "%.0f"),
                        median(key, Measurement::p50Nanos) / 1e6, median(key, Measurement::p99Nanos) / 1e6,
                        median(key, Measurement::requestsPerTask), median(key, Measurement::requestBytesPerAttempt),
                        cell(key, s, Measurement::requestBytesPerTask, "%.0f"));
            }
        }
    }

    void printColdStart(PrintStream out, Map<String, List<Double>> ms) {
        out.println();
        out.println("| contender | cold start to first result, ms (median) | x raw | runs |");
        out.println("|---|---|---|---|");
        double raw = ms.containsKey("raw") ? median(ms.get("raw")) : Double.NaN;
        for (var e : ms.entrySet()) {
            double m = median(e.getValue());
            out.printf("| %s | %.0f | %.2fx | %s |%n", e.getKey(), m, m / raw, e.getValue());
        }
    }

    private String cell(String key, LeadTask.Scenario s, ToDoubleFunction<Measurement> f, String format) {
        double value = median(key, f);
        String text = String.format(format, value);
        if (!results.containsKey("raw " + s)) return text;
        return text + String.format(" (%.2fx)", value / median("raw " + s, f));
    }

    private double median(String key, ToDoubleFunction<Measurement> f) {
        return Measurement.median(results.get(key).stream().mapToDouble(f).toArray());
    }

    private static double median(List<Double> values) {
        return Measurement.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
