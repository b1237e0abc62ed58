package io.sigil.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The paths the whole API serves, for tests outside this package that check shipped files against them. */
public final class ServerRoutes {
    private ServerRoutes() { }

    public static List<String> getPaths() {
        try {
            Path dir = Files.createTempDirectory("sigil-routes");
            try (TestServer server = TestServer.full(dir, TestServer.Options.defaults().testModel())) {
                return server.server().routes().stream().filter(r -> r.method().equals("GET")).map(Route::path).toList();
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
