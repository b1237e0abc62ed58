package io.sigil.cli;

import io.sigil.auth.ApiKey;
import io.sigil.auth.ApiKeys;
import io.sigil.auth.FileApiKeyStore;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** {@code sigil keys create|list|revoke}: API keys in the state directory's key file. */
@Command(name = "keys", description = "Manage API keys (stored as SHA-256 hashes under the state directory).",
        mixinStandardHelpOptions = true,
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs {@code work} on the API keys of the configured backend (the state directory, or PostgreSQL). */
    static <T> T withKeys(CommandLine.Model.CommandSpec spec, java.util.function.Function<ApiKeys, T> work) {
        Settings settings = SigilCommand.root(spec).settings();
        if (!"postgres".equals(settings.state().backend())) {
            return work.apply(new ApiKeys(new FileApiKeyStore(settings.state().dataDir()), Clock.systemUTC()));
        }
        try (var db = io.sigil.postgres.PostgresDatabase.fromSettings(settings)) {
            return work.apply(new ApiKeys(new io.sigil.postgres.PostgresApiKeyStore(db), Clock.systemUTC()));
        }
    }

    @Command(name = "create", description = "Create a key; it is printed once and only its hash is stored.",
            mixinStandardHelpOptions = true)
    static final class Create implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--name", required = true, description = "Who or what uses the key.")
        String name;

        @Option(names = "--scopes", required = true, description = "Comma-separated scopes: agents:read, agents:write, "
                + "runs:execute, sessions:read, memory:read, memory:write, contracts:read, contracts:write, admin.")
        String scopes;

        @Option(names = "--expires", defaultValue = "90d",
                description = "Lifetime (90s, 15m, 12h, 30d) or 'never' (default: ${DEFAULT-VALUE}).")
        String expires;

        @Option(names = "--rate-limit", description = "Requests per minute for this key (default: SIGIL_RATE_LIMIT_PER_MINUTE).")
        Integer rateLimit;

        @Override
        public void run() {
            Set<Scope> parsed;
            try {
                parsed = Scope.parseList(scopes);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputError("--scopes: " + e.getMessage(), "Example: --scopes agents:read,runs:execute");
            }
            if (parsed.isEmpty()) throw new InvalidInputError("--scopes is empty.", "Example: --scopes agents:read,runs:execute");
            Instant expiresAt = null;
            if (!"never".equalsIgnoreCase(expires.trim())) {
                Duration d;
                try {
                    d = DurationConverter.parse(expires);
                } catch (CommandLine.TypeConversionException e) {
                    throw new InvalidInputError("--expires: " + e.getMessage(), "Or use --expires never.");
                }
                if (d.isNegative() || d.isZero()) throw new InvalidInputError("--expires must be positive.", "E.g. --expires 30d");
                expiresAt = Instant.now().plus(d);
            }
            int limit = rateLimit != null ? rateLimit : SigilCommand.root(spec).settings().security().rateLimitPerMinute();
            if (limit < 1) throw new InvalidInputError("--rate-limit must be at least 1.", "E.g. --rate-limit 120");
            Set<Scope> granted = parsed;
            Instant expiry = expiresAt;
            ApiKeys.Created created = withKeys(spec, k -> k.create(name, granted, limit, expiry));
            PrintWriter out = spec.commandLine().getOut();
            out.println(created.plaintext());
            PrintWriter err = spec.commandLine().getErr();
            err.println("Created API key " + created.key().id() + " (" + created.key().name() + "; scopes "
                    + String.join(",", Scope.wireNames(created.key().scopes())) + "; "
                    + (expiresAt == null ? "no expiry" : "expires " + expiresAt) + ").");
            err.println("This is the only time the key is shown: store it now. Send it as the X-API-Key header.");
            out.flush();
            err.flush();
        }
    }

    @Command(name = "list", description = "List keys (never the keys themselves).", mixinStandardHelpOptions = true)
    static final class ListKeys implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            List<ApiKey> keys = withKeys(spec, k -> k.store().list());
            PrintWriter out = spec.commandLine().getOut();
            if (keys.isEmpty()) {
                out.println("No API keys. Create one with 'sigil keys create --name NAME --scopes SCOPES'.");
                out.flush();
                return;
            }
            Instant now = Instant.now();
            out.printf("%-36s  %-20s  %-8s  %-6s  %-20s  %-20s  %s%n", "ID", "NAME", "STATUS", "RPM", "EXPIRES", "LAST USED",
                    "SCOPES");
            for (ApiKey k : keys) {
                String status = k.revoked() ? "revoked" : k.expired(now) ? "expired" : "active";
                out.printf("%-36s  %-20s  %-8s  %-6d  %-20s  %-20s  %s%n", k.id(), k.name(), status, k.rateLimitPerMinute(),
                        k.expiresAt() == null ? "never" : k.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        k.lastUsedAt() == null ? "never" : k.lastUsedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        String.join(",", Scope.wireNames(k.scopes())));
            }
            out.flush();
        }
    }

    @Command(name = "revoke", description = "Revoke a key by id; a running server refuses it from its next request.",
            mixinStandardHelpOptions = true)
    static final class Revoke implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The key id shown by 'sigil keys list'.")
        String id;

        @Override
        public void run() {
            if (!withKeys(spec, k -> k.store().revoke(id, Instant.now()))) {
                throw new NotFoundError("No API key with id '" + id + "'.", "See 'sigil keys list' for the ids.");
            }
            spec.commandLine().getOut().println("Revoked API key " + id + ".");
            spec.commandLine().getOut().flush();
        }
    }
}
