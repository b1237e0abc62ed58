package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.errors.InvalidInputError;
import io.sigil.server.ServerAssembly;
import io.sigil.server.ServerOptions;
import io.sigil.server.SigilServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code sigil serve}: runs the HTTP API until interrupted, then shuts down gracefully. */
@Command(name = "serve", description = "Run the HTTP API server (stops gracefully on Ctrl-C / SIGTERM).",
        mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", description = "Interface to bind (default: SIGIL_API_HOST, 0.0.0.0).")
    String host;

    @Option(names = "--port", description = "Port to listen on; 0 picks a free one (default: SIGIL_API_PORT, 8000).")
    Integer port;

    @Option(names = "--shutdown-timeout", converter = DurationConverter.class,
            description = "How long runs and requests in flight may take to finish on shutdown before they are"
                    + " cancelled (default: api.shutdown_grace_seconds, 30s).")
    Duration shutdownTimeout;

    @Option(names = "--hsts-max-age", defaultValue = "31536000",
            description = "Strict-Transport-Security max-age in seconds; 0 disables the header (default: ${DEFAULT-VALUE}).")
    long hstsMaxAge;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = SigilCommand.root(spec).settings();
        String bindHost = host != null ? host : settings.api().host();
        int bindPort = port != null ? port : settings.api().port();
        if (bindPort < 0 || bindPort > 65_535) {
            throw new InvalidInputError("Port " + bindPort + " is out of range.", "Use a port from 1 to 65535 (0 picks a free one).");
        }
        if (hstsMaxAge < 0) throw new InvalidInputError("--hsts-max-age must not be negative.", "Use 0 to disable HSTS.");
        Duration grace = shutdownTimeout != null ? shutdownTimeout : settings.api().shutdownGrace();
        ServerOptions options = ServerOptions.DEFAULTS.withShutdownTimeout(grace).withHstsMaxAge(hstsMaxAge);
        SigilServer server = ServerAssembly.assemble(settings, options, Clock.systemUTC()).server();
        try {
            server.start(bindHost, bindPort);
        } catch (RuntimeException e) {
            server.stop();
            throw new ConfigError("Cannot listen on " + bindHost + ":" + bindPort + ": " + rootMessage(e),
                    "Choose another --port or stop the process using it.");
        }
        spec.commandLine().getOut().println("Sigil API listening on http://" + bindHost + ":" + server.port()
                + "  (OpenAPI: /openapi.json, health: /health)");
        spec.commandLine().getOut().flush();
        io.sigil.logging.LogSetup.writeInBackground();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            io.sigil.logging.LogSetup.stop();
            stopped.countDown();
        }, "sigil-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
