package io.sigil.cli;

import io.sigil.postgres.PostgresDatabase;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code sigil db migrate|info|validate}: the PostgreSQL schema of DATABASE_URL (Flyway migrations shipped in
 * sigil-postgres). The server migrates on start unless {@code database.migrate_on_start=false}; these commands let
 * an operator do it beforehand, see where a database stands, and check it matches this build.
 */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Migrate, inspect and validate the PostgreSQL schema (DATABASE_URL).",
        subcommands = {DbCommand.Migrate.class, DbCommand.Info.class, DbCommand.Validate.class})
final class DbCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class Sub implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (PostgresDatabase db = PostgresDatabase.fromSettings(SigilCommand.root(spec).settings())) {
                int code = run(db, out);
                out.flush();
                return code;
            }
        }

        abstract int run(PostgresDatabase db, PrintWriter out);
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending migrations.")
    static final class Migrate extends Sub {
        int run(PostgresDatabase db, PrintWriter out) {
            MigrateResult r = db.migrate();
            if (r.migrationsExecuted == 0) {
                out.printf("Schema of %s is up to date (version %s).%n", db.url(), db.schemaVersion());
            } else {
                out.printf("Applied %d migration(s) to %s: schema version %s -> %s.%n", r.migrationsExecuted, db.url(),
                        r.initialSchemaVersion == null ? "none" : r.initialSchemaVersion, r.targetSchemaVersion);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "List the migrations: applied, pending, failed.")
    static final class Info extends Sub {
        int run(PostgresDatabase db, PrintWriter out) {
            out.printf("Database %s, schema version %s (this build: %s)%n", db.url(),
                    db.schemaVersion() == null ? "none" : db.schemaVersion(), db.expectedSchemaVersion());
            out.printf("%-8s  %-10s  %-20s  %s%n", "VERSION", "STATE", "INSTALLED", "DESCRIPTION");
            for (MigrationInfo m : db.info()) {
                out.printf("%-8s  %-10s  %-20s  %s%n", m.getVersion() == null ? "-" : m.getVersion().getVersion(),
                        m.getState().getDisplayName().toLowerCase(java.util.Locale.ROOT),
                        m.getInstalledOn() == null ? "-" : m.getInstalledOn().toInstant().toString().substring(0, 19),
                        m.getDescription());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check the applied migrations match this build; exit 0 when they do, 1 when not.")
    static final class Validate extends Sub {
        int run(PostgresDatabase db, PrintWriter out) {
            ValidateResult r = db.validate();
            if (r.validationSuccessful) {
                out.printf("Schema of %s matches this build (version %s).%n", db.url(), db.schemaVersion());
                return ExitCodes.OK;
            }
            out.printf("Schema of %s does NOT match this build:%n", db.url());
            r.invalidMigrations.forEach(m -> out.printf("  %s %s: %s%n", m.version == null ? "-" : m.version, m.description,
                    m.errorDetails == null ? "" : m.errorDetails.errorMessage.lines().findFirst().orElse("")));
            out.println("Run 'sigil db migrate' to apply pending migrations.");
            return ExitCodes.FAILURE;
        }
    }
}
