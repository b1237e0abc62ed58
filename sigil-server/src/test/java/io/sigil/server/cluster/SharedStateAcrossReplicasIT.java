package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.auth.HmacKey;
import io.sigil.testing.NginxFront;
import io.sigil.testing.SigilReplica;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import io.sigil.testing.ClusterScratch;
import io.sigil.testing.PrivateRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19, state that must not live in one replica: memory and console logins. Two {@code sigil serve} processes with {@code SIGIL_STATE_BACKEND=postgres}
 * (memory in PostgreSQL, each process searching its own Lucene projection that follows the change log) and one
 * private Redis. A fact remembered through replica A (HTTP) is recalled through replica B; the delay from A's 201
 * to B's first search that returns it is measured for several writes (p50/p95 printed; docs/benchmarks.md). A
 * console login made through A is valid on B, and a logout through B ends it on A.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedStateAcrossReplicasIT {
    static final String SECRET = "memory-replicas-secret-0123456789-abcdefghij";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration BOUND = Duration.ofSeconds(10);
    /** Unrelated facts: memory merges near-duplicates, so facts differing only in a name would not all be stored. */
    static final List<String> FACTS = List.of(
            "The %s warehouse in Lisbon ships orders every Tuesday morning.",
            "Maria's favourite tea is %s oolong, brewed for three minutes.",
            "Project %s moved its billing database to PostgreSQL in March.",
            "The %s bicycle needs new brake pads before the autumn race.",
            "Our dentist, Dr %s, only takes appointments on Thursdays.",
            "The %s printer on floor two jams when paper is humid.",
            "Grandma's %s lemon cake uses twice the usual zest.",
            "The quarterly budget for team %s was cut by twelve percent.",
            "The %s telescope sees Saturn's rings clearly in August.",
            "Flight %s to Oslo boards from gate 14 at half past six.",
            "The %s cat refuses any food except salmon pate.",
            "Contract %s with the Berlin supplier renews in November.",
            "The %s violin was restored by a luthier in Cremona.",
            "Server rack %s overheats when the east door is closed.",
            "The %s hiking trail closes after the first snowfall.",
            "Invoice %s was paid twice and a refund is pending.",
            "The %s greenhouse grows tomatoes and basil all winter.",
            "Customer %s prefers phone calls to email after 5 pm.",
            "The %s library lends board games on weekends.",
            "Recipe %s for ramen broth simmers pork bones for twelve hours.");

    private ClusterScratch scratch;
    private final List<SigilReplica> replicas = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(PrivateRedis.available(), "redis-server is not installed (.ci/run installs it)");
        scratch = ClusterScratch.create("scale_mem_");
        for (String name : List.of("a", "b")) {
            Map<String, String> env = scratch.env(name, SECRET);
            env.put("SIGIL_USE_MEMORY", "true");
            env.put("SIGIL_MEMORY_DATA_DIR", scratch.dir().resolve(name).resolve("memory").toString());
            replicas.add(new SigilReplica(name, scratch.dir().resolve(name), env).start()); // one at a time: A migrates
        }
        token = new JwtSigner(HmacKey.of(SECRET), Clock.systemUTC()).mint("memory-tester",
                Set.of(Scope.ADMIN, Scope.MEMORY_READ, Scope.MEMORY_WRITE), Duration.ofMinutes(30), null, null);
    }

    @AfterAll
    void stop() throws Exception {
        for (SigilReplica r : replicas) r.close();
        if (scratch != null) scratch.close();
    }

    @Test
    void aFactRememberedThroughAIsRecalledThroughBWithinABoundedDelay() throws Exception {
        SigilReplica a = replicas.get(0);
        SigilReplica b = replicas.get(1);
        for (SigilReplica r : replicas) { // opens memory (embedding model, projection) before anything is timed
            HttpResponse<String> warm = post(r.url() + "/memory/search", "{\"query\": \"warm up\"}");
            assertThat(warm.statusCode()).as("replica %s: %s", r.name, warm.body()).isEqualTo(200);
        }
        List<Long> delaysMs = new ArrayList<>();
        for (String template : FACTS) {
            String marker = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            String fact = template.formatted(marker);
            HttpResponse<String> stored = post(a.url() + "/memory", JSON.writeValueAsString(Map.of("content", fact)));
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
            long acknowledged = System.nanoTime();
            long deadline = acknowledged + BOUND.toNanos();
            boolean found = false;
            while (!found && System.nanoTime() < deadline) {
                HttpResponse<String> search = post(b.url() + "/memory/search",
                        JSON.writeValueAsString(Map.of("query", "what about " + marker + "?", "k", 5, "mode", "keyword")));
                assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
                for (JsonNode hit : JSON.readTree(search.body()).path("hits")) {
                    if (hit.path("item").path("content").asText().equals(fact)) found = true;
                }
                if (!found) Thread.sleep(5);
            }
            assertThat(found).as("'%s' written on A recalled on B within %s", fact, BOUND).isTrue();
            delaysMs.add((System.nanoTime() - acknowledged) / 1_000_000);
        }
        // And the other way round, with the default (hybrid) retrieval: B writes, A recalls.
        HttpResponse<String> onB = post(b.url() + "/memory", "{\"content\": \"The xylophone workshop is on Fridays.\"}");
        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(201);
        long deadline = System.nanoTime() + BOUND.toNanos();
        String hits = "";
        while (!hits.contains("xylophone workshop") && System.nanoTime() < deadline) {
            hits = post(a.url() + "/memory/search", "{\"query\": \"when is the xylophone workshop\"}").body();
        }
        assertThat(hits).as("B's write recalled on A").contains("The xylophone workshop is on Fridays.");

        List<Long> sorted = delaysMs.stream().sorted().toList();
        System.out.printf("MEMORY-ACROSS-REPLICAS writes=%d delay_ms p50=%d p95=%d max=%d all=%s%n", sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), sorted.getLast(), delaysMs);
    }

    @Test
    void aConsoleLoginThroughAIsValidOnBAndALogoutThroughBEndsItOnA() throws Exception {
        SigilReplica a = replicas.get(0);
        SigilReplica b = replicas.get(1);
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(a.url() + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("credential=" + token + "&next=/console")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(cookie).startsWith("sigil_console=");

        HttpResponse<String> onB = console(b, "/console", cookie);
        assertThat(onB.statusCode()).as("the login made through A, on B").isEqualTo(200);
        String csrf = onB.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        assertThat(csrf).as("the page carries the login's CSRF token").hasSizeGreaterThan(20).doesNotContain("<");

        HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(b.url() + "/console/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(303);
        HttpResponse<String> afterOnA = console(a, "/console", cookie);
        assertThat(afterOnA.statusCode()).as("logged out through B, so not on A either").isEqualTo(303);
        assertThat(afterOnA.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/console/login"));
    }

    private HttpResponse<String> console(SigilReplica r, String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(r.url() + path)).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
