package io.sigil.cli;

import io.sigil.auth.HmacKey;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import io.sigil.errors.InvalidInputError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** {@code sigil token create}: mints an HS256 JWT with the configured secret, for development and scripts. */
@Command(name = "token", description = "Mint JWTs for development.", mixinStandardHelpOptions = true,
        subcommands = {TokenCommand.Create.class})
public final class TokenCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", description = "Print a signed token (uses SIGIL_JWT_SECRET, SIGIL_JWT_ISSUER/AUDIENCE).",
            mixinStandardHelpOptions = true)
    static final class Create implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--sub", required = true, description = "Subject: who the token identifies.")
        String subject;

        @Option(names = "--scopes", required = true, description = "Comma-separated scopes, e.g. agents:read,runs:execute.")
        String scopes;

        @Option(names = "--ttl", converter = DurationConverter.class,
                description = "Lifetime (15m, 12h, 30d; default: SIGIL_JWT_EXPIRE_MINUTES).")
        Duration ttl;

        @Override
        public void run() {
            Settings.Security security = SigilCommand.root(spec).settings().security();
            Set<Scope> parsed;
            try {
                parsed = Scope.parseList(scopes);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputError("--scopes: " + e.getMessage(), "Example: --scopes agents:read,runs:execute");
            }
            Duration lifetime = ttl != null ? ttl : Duration.ofMinutes(security.jwtExpireMinutes());
            if (lifetime.isNegative() || lifetime.isZero()) throw new InvalidInputError("--ttl must be positive.", "E.g. --ttl 1h");
            if (subject.isBlank()) throw new InvalidInputError("--sub must not be blank.", "E.g. --sub alice");
            JwtSigner signer = new JwtSigner(HmacKey.of(security.jwtSecret()), Clock.systemUTC());
            spec.commandLine().getOut().println(signer.mint(subject, parsed, lifetime, security.jwtIssuer(), security.jwtAudience()));
            spec.commandLine().getOut().flush();
        }
    }
}
