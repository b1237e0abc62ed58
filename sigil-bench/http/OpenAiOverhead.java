import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The cost of the OpenAI-compatible path against the native run endpoint, for the same run (docs/benchmarks.md,
 * "OpenAI-compatible API"): {@code POST /v1/chat/completions} and {@code POST /agents/{name}/run}, both answered by
 * the same agent with the offline test model, in interleaved rounds of {@code requests} requests from
 * {@code clients} concurrent clients. Per round and path: requests/s, median latency, and the server's CPU time per
 * request (user + system from /proc/{pid}/stat). Prints each round and the medians over the rounds.
 *
 * <p>Run by {@code sigil-bench/http/run-openai-overhead.sh}; by hand:
 * {@code java sigil-bench/http/OpenAiOverhead.java http://127.0.0.1:18080 <jwt> <server pid> [rounds] [requests] [clients]}.
 */
public class OpenAiOverhead {
    static final String NATIVE = "{\"message\": \"Say hello to the benchmark\"}";
    static final String OPENAI = "{\"model\": \"bench_agent\", \"messages\": [{\"role\": \"user\", \"content\": \"Say hello to the benchmark\"}]}";

    record Round(double perSecond, double p50Ms, double cpuUsPerRequest) { }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        long pid = Long.parseLong(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        int requests = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        int clients = args.length > 5 ? Integer.parseInt(args[5]) : 8;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            // Warm-up of both paths (JIT), not measured.
            run(http, pool, base + "/agents/bench_agent/run", NATIVE, token, requests, clients, pid);
            run(http, pool, base + "/v1/chat/completions", OPENAI, token, requests, clients, pid);
            List<Round> nat = new ArrayList<>();
            List<Round> oai = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                // Interleaved, and the order alternates, so drift in the machine's load hits both paths alike.
                boolean nativeFirst = r % 2 == 1;
                for (int i = 0; i < 2; i++) {
                    boolean isNative = (i == 0) == nativeFirst;
                    Round round = isNative
                            ? run(http, pool, base + "/agents/bench_agent/run", NATIVE, token, requests, clients, pid)
                            : run(http, pool, base + "/v1/chat/completions", OPENAI, token, requests, clients, pid);
                    (isNative ? nat : oai).add(round);
                    System.out.printf("round %d %-22s %8.0f req/s  p50 %6.2f ms  server CPU %5.0f us/request%n", r,
                            isNative ? "POST /agents/{name}/run" : "POST /v1/chat/completions", round.perSecond(),
                            round.p50Ms(), round.cpuUsPerRequest());
                }
            }
            Round n = median(nat);
            Round o = median(oai);
            System.out.printf("median native  %8.0f req/s  p50 %6.2f ms  server CPU %5.0f us/request%n", n.perSecond(), n.p50Ms(), n.cpuUsPerRequest());
            System.out.printf("median openai  %8.0f req/s  p50 %6.2f ms  server CPU %5.0f us/request%n", o.perSecond(), o.p50Ms(), o.cpuUsPerRequest());
            System.out.printf("ratio openai/native: throughput %.3f  p50 %.3f  CPU/request %.3f%n",
                    o.perSecond() / n.perSecond(), o.p50Ms() / n.p50Ms(), o.cpuUsPerRequest() / n.cpuUsPerRequest());
        }
    }

    static Round run(HttpClient http, ExecutorService pool, String url, String body, String token, int requests,
                     int clients, long pid) throws Exception {
        long[] nanos = new long[requests];
        long cpuBefore = cpuTicks(pid);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c;
            futures.add(pool.submit(() -> {
                for (int i = first; i < requests; i += clients) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    nanos[i] = System.nanoTime() - t0;
                    if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
                }
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = cpuTicks(pid) - cpuBefore;
        Arrays.sort(nanos);
        return new Round(requests / seconds, nanos[requests / 2] / 1e6, cpu * 1e6 / 100.0 / requests);
    }

    /** utime + stime of the server process, in clock ticks (100 per second on Linux). */
    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static Round median(List<Round> rounds) {
        return new Round(med(rounds.stream().mapToDouble(Round::perSecond).toArray()),
                med(rounds.stream().mapToDouble(Round::p50Ms).toArray()),
                med(rounds.stream().mapToDouble(Round::cpuUsPerRequest).toArray()));
    }

    static double med(double[] v) {
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
