package io.sigil.cli;

import picocli.CommandLine;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The subcommands of {@code sigil}, and which of them one invocation needs. picocli builds a command's model by
 * reflection and instantiates it (running its field initialisers) when the command is added, so a tree of some
 * 30 commands and 100 subcommands costs about half a second of CPU before anything runs. An invocation names at
 * most one subcommand, so only that one is built; the whole tree only when something lists or searches it
 * (usage, {@code help}, completion, a word that matches no command).
 */
final class CommandTree {
    private CommandTree() { }

    /** A subcommand: its name as typed (and in its {@code @Command}) and its class. */
    record Sub(String name, Class<?> type) { }

    /** Every subcommand, in the order the usage lists them. */
    static List<Sub> all() {
        return List.of(
                new Sub("help", CommandLine.HelpCommand.class),
                new Sub("llm", LlmCommand.class),
                new Sub("contracts", ContractsCommand.class),
                new Sub("route", RouteCommand.class),
                new Sub("reason", ReasonCommand.class),
                new Sub("serve", ServeCommand.class),
                new Sub("keys", KeysCommand.class),
                new Sub("token", TokenCommand.class),
                new Sub("guard", GuardCommand.class),
                new Sub("sessions", SessionsCommand.class),
                new Sub("approvals", ApprovalsCommand.class),
                new Sub("verify", VerifyCommand.class),
                new Sub("backup", BackupCommand.class),
                new Sub("restore", RestoreCommand.class),
                new Sub("state", StateCommand.class),
                new Sub("db", DbCommand.class),
                new Sub("memory", MemoryCommand.class),
                new Sub("config", ConfigCommand.class),
                new Sub("health", HealthCommand.class),
                new Sub("completion", CompletionCommand.class),
                new Sub("run", RunCommand.class),
                new Sub("chat", ChatCommand.class),
                new Sub("agents", AgentsCommand.class),
                new Sub("plan", PlanCommand.class),
                new Sub("plans", PlansCommand.class),
                new Sub("tools", ToolsCommand.class),
                new Sub("mcp", McpCommand.class),
                new Sub("evolve", EvolveCommand.class));
    }

    /** The root's options that take a value (the value may look like a command name: {@code --set run=1}). */
    private static final Set<String> VALUED_OPTIONS = Set.of("--set", "--env-file", "--config-dir");
    /** Root options that need no subcommand at all when they are the only ones given. */
    private static final Set<String> ROOT_ONLY = Set.of("--version", "-V", "--debug");
    /** Commands that read the whole tree: picocli's help command, and the completion script. */
    private static final Set<String> NEED_ALL = Set.of("help", "completion");

    /**
     * The subcommands {@code args} need: the one they name; none for {@code --version}; all of them otherwise
     * (no command named, usage asked for, an unknown word that should get "did you mean" suggestions).
     */
    static List<Sub> neededBy(String... args) {
        boolean versionOnly = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return all(); // what follows is not a command name
            if (VALUED_OPTIONS.contains(a)) {
                i++;
                continue;
            }
            if (a.startsWith("-")) {
                if (!ROOT_ONLY.contains(a) && !isValuedWithEquals(a)) versionOnly = false;
                continue;
            }
            Optional<Sub> named = NEED_ALL.contains(a) ? Optional.empty()
                    : all().stream().filter(s -> s.name().equals(a)).findFirst();
            return named.map(List::of).orElseGet(CommandTree::all);
        }
        boolean asksVersion = List.of(args).contains("--version") || List.of(args).contains("-V");
        return versionOnly && asksVersion ? List.of() : all();
    }

    private static boolean isValuedWithEquals(String arg) {
        int eq = arg.indexOf('=');
        return eq > 0 && VALUED_OPTIONS.contains(arg.substring(0, eq));
    }
}
