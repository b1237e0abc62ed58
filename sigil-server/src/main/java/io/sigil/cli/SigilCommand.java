package io.sigil.cli;

import io.sigil.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root {@code sigil} command. Subcommands register in the {@code subcommands} list below. */
@Command(name = "sigil",
        mixinStandardHelpOptions = true,
        versionProvider = SigilCommand.Version.class,
        description = "Build, run and operate LLM agents that deliver verified results.",
        subcommands = {
                CommandLine.HelpCommand.class,
                LlmCommand.class,
                ContractsCommand.class,
                RouteCommand.class,
                ReasonCommand.class,
                ServeCommand.class,
                KeysCommand.class,
                TokenCommand.class,
                GuardCommand.class,
                SessionsCommand.class,
                VerifyCommand.class,
                BackupCommand.class,
                RestoreCommand.class
        })
public final class SigilCommand implements Runnable {

    @Option(names = "--debug", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The effective settings for this invocation. Subcommands reach them with
     * {@code SigilCommand.root(spec).settings()}.
     */
    public Settings settings() {
        // Replaced by the configuration loader (command line, environment, .env, config/*.yaml, defaults).
        return Settings.defaults();
    }

    /** The root command object from any (nested) subcommand's spec. */
    public static SigilCommand root(CommandLine.Model.CommandSpec spec) {
        return (SigilCommand) spec.root().userObject();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line: error reporting and usage-error exit code wired in. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SigilCommand());
        cl.setExecutionExceptionHandler(new ErrorReporter());
        cl.setExitCodeExceptionMapper(t -> ExitCodes.USAGE);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("[INVALID_INPUT] " + ex.getMessage());
            c.getErr().println("  hint: see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /** Reads the version from the jar manifest (set by the build), "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SigilCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sigil " + (v == null ? "dev" : v), "Java " + Runtime.version()};
        }
    }
}
