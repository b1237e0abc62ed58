package io.sigil.bench.peers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The peer benchmark: the lead-qualification task done four ways (raw openai-java + Jackson, Sigil's contract
 * executor, LangChain4j AiServices, Spring AI ChatClient) against one zero-latency fake OpenAI server in its own
 * JVM. Each contender runs in its own JVM ({@link PeerWorker}), warmed up once; rounds then interleave them (the
 * order rotates each round, one contender busy at a time) and each round measures every contender in both
 * scenarios. The table shows the medians over rounds and the ratios to raw. Then the requests of one task per
 * contender (bytes, tokens), and cold start: a fresh JVM per contender, interleaved, to its first validated result.
 *
 * <p>Usage: {@code PeerBenchmark [--rounds 5] [--tasks 300] [--warmup 2000] [--seconds 4] [--threads 16]
 * [--cold 3] [--contenders raw,sigil,langchain4j,springai]}; {@code sigil-bench/peers/run.sh} builds and runs it.
 */
public final class PeerBenchmark {
    private final Map<String, Integer> options = new LinkedHashMap<>();
    private List<String> names = List.of("raw", "sigil", "langchain4j", "springai");

    public static void main(String[] args) throws Exception {
        new PeerBenchmark(args).run();
    }

    private PeerBenchmark(String[] args) {
        options.putAll(Map.of("rounds", 5, "tasks", 300, "warmup", 2000, "seconds", 4, "threads", 16, "cold", 3));
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (key.equals("contenders")) names = List.of(args[i + 1].split(","));
            else if (options.containsKey(key)) options.put(key, Integer.parseInt(args[i + 1]));
            else throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet()
                    + " and contenders");
        }
    }

    private void run() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        System.out.println("# Peer benchmark " + options + " contenders " + names);
        System.out.println("load average at start: " + loadAverage() + "; " + Runtime.getRuntime().availableProcessors()
                + " CPUs; JVM " + Runtime.version());
        try (FakeServerProcess server = new FakeServerProcess(java, System.getProperty("java.class.path"))) {
            Map<String, WorkerProcess> workers = new LinkedHashMap<>();
            try {
                for (String n : names) workers.put(n, new WorkerProcess(n, javaCommand(java, n, "-Xmx512m"), server.baseUrl()));
                for (WorkerProcess w : workers.values()) {
                    for (LeadTask.Scenario s : LeadTask.Scenario.values()) w.send("warmup " + s + " " + options.get("warmup"));
                }
                System.out.println("warmed up, load average " + loadAverage());
                Map<String, List<Measurement>> results = rounds(workers);
                new Report(names, results).printTable(System.out);
                Prompts.print(System.out, workers, new FakeServerStats(server.baseUrl()));
            } finally {
                workers.values().forEach(WorkerProcess::close);
            }
            new Report(names, Map.of()).printColdStart(System.out, coldStart(java, server.baseUrl()));
        }
        System.out.println("load average at end: " + loadAverage());
    }

    private Map<String, List<Measurement>> rounds(Map<String, WorkerProcess> workers) {
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        for (int round = 0; round < options.get("rounds"); round++) {
            List<String> order = new ArrayList<>(names);
            Collections.rotate(order, round);
            for (LeadTask.Scenario s : LeadTask.Scenario.values()) {
                for (String n : order) {
                    String answer = workers.get(n).send("measure " + s + " " + options.get("tasks") + " "
                            + options.get("seconds") + " " + options.get("threads"));
                    double[] v = Arrays.stream(answer.substring("result ".length()).split(" "))
                            .mapToDouble(Double::parseDouble).toArray();
                    results.computeIfAbsent(n + " " + s, k -> new ArrayList<>())
                            .add(new Measurement(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
                }
            }
            System.out.println("round " + (round + 1) + " done, load average " + loadAverage());
        }
        return results;
    }

    /** Milliseconds from JVM start to the first validated result, per contender, fresh JVMs interleaved. */
    private Map<String, List<Double>> coldStart(String java, String baseUrl) throws Exception {
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        for (int i = 0; i < options.get("cold"); i++) {
            for (String n : names) {
                List<String> command = new ArrayList<>(javaCommand(java, n, "-Xmx512m"));
                command.addAll(List.of(ColdStart.class.getName(), n, baseUrl));
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                String last = out.substring(out.lastIndexOf('\n') + 1);
                if (p.waitFor() != 0 || !last.startsWith("first-result-ms ")) {
                    throw new IllegalStateException("cold start of " + n + " failed: " + out);
                }
                ms.computeIfAbsent(n, k -> new ArrayList<>()).add(Double.parseDouble(last.substring(16)));
            }
        }
        return ms;
    }

    /**
     * The JVM command of a contender. All share this JVM's classpath, except Spring AI, whose json-schema-validator
     * (3.x) replaces Sigil's (1.5.x): see sigil-bench/pom.xml.
     */
    private static List<String> javaCommand(String java, String contender, String heap) throws IOException {
        List<String> classpath = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        if (contender.equals("springai")) {
            classpath.removeIf(e -> e.contains("json-schema-validator"));
            try (Stream<Path> jars = Files.list(Path.of(System.getProperty("peers.springai.jars", "target/peers-springai")))) {
                jars.forEach(j -> classpath.add(j.toAbsolutePath().toString()));
            }
        }
        return List.of(java, heap, "-XX:+UseG1GC", "-cp", String.join(File.pathSeparator, classpath));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
