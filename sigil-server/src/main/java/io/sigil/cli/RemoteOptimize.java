package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.evolution.OptimizeOptions;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sigil evolve optimize --url}: the optimisation runs as a job on the server (any replica of it) instead of
 * in this command; the command starts it (or resumes one), then follows the job, printing each finished generation
 * on stderr, and prints the result like a local run. Stopping the command leaves the job running on the server.
 */
final class RemoteOptimize {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 1_000;

    private final ServerClient server;
    private final SigilCommand root;
    private final PrintWriter out;
    private final PrintWriter err;

    RemoteOptimize(ServerClient server, SigilCommand root, PrintWriter out, PrintWriter err) {
        this.server = server;
        this.root = root;
        this.out = out;
        this.err = err;
    }

    /** Starts (or, with {@code resume}, resumes) the job and follows it to its end; the exit code of the result. */
    int run(String agent, OptimizeOptions options, String resume, boolean json) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(options.toMap());
        body.remove("gates"); // the REST body names the gates one by one; the command keeps the defaults
        if (resume != null) body = Map.of("resume_id", resume);
        JsonNode job = server.post(root, "/agents/" + agent + "/evolution/optimize", body);
        String path = "/agents/" + agent + "/evolution/jobs/" + job.path("job_id").asText();
        if (!json) err.println("optimisation job " + job.path("job_id").asText() + " on the server (" + path + ")");
        int shown = -1;
        while (job.path("status").asText().equals("running")) {
            int g = job.path("generation").asInt();
            if (!json && g != shown && g > 0) err.println("generation " + g + " of " + job.path("generations").asInt() + " done");
            shown = g;
            err.flush();
            Thread.sleep(POLL_MILLIS);
            job = server.get(root, path);
        }
        return print(job, json);
    }

    private int print(JsonNode job, boolean json) throws Exception {
        JsonNode r = job.path("result");
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job));
        } else if (r.isObject()) {
            EvolveCommand.printResult(out, job.path("agent").asText(), job.path("job_id").asText(), JSON.convertValue(r, Map.class));
        } else {
            out.println(job.path("status").asText() + ": " + job.path("reason").asText());
        }
        out.flush();
        String status = r.path("status").asText("");
        return status.equals("improved") || status.equals("pending_approval") ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
