package io.sigil.cli;

import io.sigil.agents.AgentBuilder;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.contracts.ContractRegistry;
import io.sigil.errors.NotFoundError;
import io.sigil.reasoning.StrategyName;
import io.sigil.Sigil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code sigil agents list|show|create|delete}: the agents in SIGIL_AGENTS_DIR and the bundled examples. */
@Command(name = "agents", mixinStandardHelpOptions = true, description = "List, show, create and delete agents.",
        subcommands = {AgentsCommand.ListAgents.class, AgentsCommand.Show.class, AgentsCommand.Create.class,
                AgentsCommand.Delete.class})
final class AgentsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    abstract static class Base implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Sigil runtime() {
            return Sigil.builder().settings(SigilCommand.root(spec).settings()).build();
        }

        PrintWriter out() { return spec.commandLine().getOut(); }
    }

    @Command(name = "list", description = "Every agent: name, contract, description.")
    static final class ListAgents extends Base {
        @Override
        public Integer call() {
            try (var rt = runtime()) {
                List<AgentDefinition> all = rt.agents().list();
                int width = all.stream().mapToInt(a -> a.name().length()).max().orElse(4);
                for (AgentDefinition a : all) {
                    out().printf("%-" + width + "s  %-20s  %s%n", a.name(),
                            a.contractName() == null ? "-" : a.contractName(), a.description());
                }
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "show", description = "An agent's definition as YAML.")
    static final class Show extends Base {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            try (var rt = runtime()) {
                out().print(AgentDefinitions.toYaml(rt.agents().get(name)));
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "create", description = "Have the model draft an agent from a description; it is validated, saved and shown.")
    static final class Create extends Base {
        @Option(names = "--from", required = true, paramLabel = "DESCRIPTION", description = "What the agent should do.")
        String description;

        @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL", description = "The model that drafts it.")
        String model;

        @Override
        public Integer call() {
            try (var rt = runtime()) {
                var contracts = rt.contracts().list().stream().map(ContractRegistry.Entry::name).collect(Collectors.toSet());
                var builder = new AgentBuilder(rt.models().resolve(model), rt.definitions(),
                        new HashSet<>(rt.tools().names()), contracts,
                        Arrays.stream(StrategyName.values()).map(StrategyName::wireName).toList());
                AgentDefinition agent = builder.create(description, b -> b);
                if (rt.agents().find(agent.name()).isPresent()) {
                    throw new io.sigil.errors.AgentError("An agent named '" + agent.name() + "' already exists",
                            "Delete it first or describe the agent differently.");
                }
                rt.agents().save(agent);
                out().println("# saved to " + rt.settings().agents().dir().resolve(agent.name() + ".yaml"));
                out().print(AgentDefinitions.toYaml(agent));
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "delete", description = "Delete an agent file (bundled examples cannot be deleted).")
    static final class Delete extends Base {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            try (var rt = runtime()) {
                if (!rt.agents().delete(name)) {
                    throw new NotFoundError("Agent '" + name + "' not found", "See 'sigil agents list'.");
                }
                out().println("deleted " + name);
                out().flush();
                return ExitCodes.OK;
            }
        }
    }
}
