package io.sigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.config.Settings;
import io.sigil.contracts.Attempt;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractExecutor;
import io.sigil.contracts.ContractLoader;
import io.sigil.Sigil;
import io.sigil.contracts.ContractRegistry;
import io.sigil.contracts.ContractResult;
import io.sigil.contracts.ContractValidationError;
import io.sigil.contracts.ContractValidator;
import io.sigil.contracts.ContractWriter;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.contracts.LoadedContract;
import io.sigil.contracts.ValidationError;
import io.sigil.contracts.ValidationResult;
import io.sigil.errors.InvalidInputError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ModelResolver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sigil contracts ...}: list, show, lint, validate outputs against, and run contracts. */
@Command(name = "contracts", description = "List, show, check, validate and run contracts.",
        mixinStandardHelpOptions = true,
        subcommands = {ContractsCommand.ListContracts.class, ContractsCommand.Show.class, ContractsCommand.Check.class,
                ContractsCommand.Validate.class, ContractsCommand.Run.class})
public final class ContractsCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** What every subcommand needs, built from the effective settings. */
    private record Context(Settings settings, ContractLoader loader, FileContractRegistry registry, PrintWriter out) {
        static Context of(CommandLine.Model.CommandSpec spec) {
            Settings s = SigilCommand.root(spec).settings();
            ContractLoader loader = Sigil.contractLoader(s);
            FileContractRegistry registry = Sigil.contractRegistry(s, loader);
            return new Context(s, loader, registry, spec.commandLine().getOut());
        }

        Contract contract(String name, String version) {
            if (!Contract.isValidName(name)) {
                throw new InvalidInputError("'" + name + "' is not a valid contract name",
                        "Names start with a letter, then up to 63 letters, digits, '_' or '-'.");
            }
            return version == null ? registry.get(name) : registry.get(name, version);
        }
    }

    @Command(name = "list", description = "List the contracts: bundled templates and those in the contracts directory.")
    static final class ListContracts implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            Context ctx = Context.of(spec);
            List<ContractRegistry.Entry> entries = ctx.registry().list();
            int width = Math.max(4, entries.stream().mapToInt(e -> e.name().length()).max().orElse(4));
            String row = "%-" + width + "s  %-9s  %-10s  %s%n";
            ctx.out().printf(row, "NAME", "VERSION", "SOURCE", "DESCRIPTION");
            for (ContractRegistry.Entry e : entries) {
                String versions = e.versions().size() > 1 ? e.latestVersion() + " (+" + (e.versions().size() - 1) + ")" : e.latestVersion();
                ctx.out().printf(row, e.name(), versions, e.template() ? "template" : "file", e.description());
            }
            ctx.out().flush();
        }
    }

    @Command(name = "show", description = "Print a contract's definition as YAML.")
    static final class Show implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<name>", description = "Contract name.")
        String name;

        @Option(names = "--version", paramLabel = "<version>", description = "A specific version (default: the latest).")
        String version;

        @Override
        public void run() {
            Context ctx = Context.of(spec);
            ctx.out().print(ContractWriter.toYaml(ctx.contract(name, version)));
            ctx.out().flush();
        }
    }

    @Command(name = "check", description = "Lint a contract definition file (YAML or JSON): every problem with its line.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<file>", description = "The contract file.")
        Path file;

        @Option(names = "--strict", description = "Treat warnings as errors.")
        boolean strict;

        @Override
        public Integer call() {
            Context ctx = Context.of(spec);
            LoadedContract c = ctx.loader().read(file);
            c.describeIssues().forEach(ctx.out()::println);
            long errors = c.issues().stream().filter(i -> i.isError() || strict).count();
            if (errors > 0) {
                ctx.out().flush();
                throw new InvalidInputError("Contract definition " + file + " has " + errors + " problem(s)",
                        "Fix the lines listed above.");
            }
            ctx.out().printf("OK: %s %s (%d deliverables, %d warning(s))%n", c.contract().name(), c.contract().version(),
                    c.contract().deliverables().size(), c.issues().size());
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "validate", description = "Validate an output (JSON file) against a contract. Exit 0 valid, 4 invalid.")
    static final class Validate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<name>", description = "Contract name.")
        String name;

        @Option(names = "--output", required = true, paramLabel = "<file.json>", description = "The output to validate.")
        Path output;

        @Option(names = "--version", paramLabel = "<version>", description = "A specific contract version.")
        String version;

        @Option(names = "--strict", description = "Treat warnings (unexpected fields, coerced numbers) as errors.")
        boolean strict;

        @Override
        public Integer call() {
            Context ctx = Context.of(spec);
            Contract contract = ctx.contract(name, version);
            String text;
            try {
                text = Files.readString(output);
            } catch (NoSuchFileException e) {
                throw new InvalidInputError("Output file " + output + " does not exist", "Pass the path of a JSON file.");
            } catch (IOException e) {
                throw new InvalidInputError("Cannot read " + output + ": " + e.getMessage());
            }
            ValidationResult r = new ContractValidator(strict).validateText(contract, text);
            PrintWriter out = ctx.out();
            if (r.valid()) {
                out.printf("VALID: %s satisfies contract '%s' %s%n", output, contract.name(), contract.version());
            } else {
                out.printf("INVALID: %s does not satisfy contract '%s' %s: %d error(s)%n", output, contract.name(),
                        contract.version(), r.errors().size());
            }
            printErrors(out, r.errors(), r.warnings());
            out.flush();
            return r.valid() ? ExitCodes.OK : ExitCodes.CONTRACT;
        }
    }

    @Command(name = "run", description = "Run a task under a contract with retries; print the result and the attempts.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<name>", description = "Contract name.")
        String name;

        @Parameters(index = "1", paramLabel = "<task>", description = "What the agent should do.")
        String task;

        @Option(names = "--model", paramLabel = "<model>", description = "provider:model (anthropic:..., openai:..., ollama:...) or 'test', the offline test model (default: settings llm.model).")
        String model;

        @Option(names = "--version", paramLabel = "<version>", description = "A specific contract version.")
        String version;

        @Option(names = "--strict", description = "Treat validation warnings as errors.")
        boolean strict;

        @Override
        public Integer call() {
            Context ctx = Context.of(spec);
            Contract contract = ctx.contract(name, version);
            ChatModel chat = new ModelResolver(ctx.settings().llm()).resolve(model);
            ContractExecutor executor = ContractExecutor.builder(chat).validator(new ContractValidator(strict))
                    .defaultMaxTotalTokens(ctx.settings().contracts().maxTotalTokens()).build();
            PrintWriter out = ctx.out();
            ContractResult result;
            try {
                result = executor.execute(contract, task);
            } catch (ContractValidationError e) {
                printAttempts(out, e.attempts());
                out.flush();
                throw e;
            }
            printAttempts(out, result.attempts());
            out.printf("Result (%s, %d tokens, %d ms):%n", result.outcome().label(), result.tokensUsed(),
                    result.elapsed().toMillis());
            out.println(pretty(result.output()));
            result.warnings().forEach(w -> out.println("warning: " + w));
            out.flush();
            return ExitCodes.OK;
        }
    }

    static void printAttempts(PrintWriter out, List<Attempt> attempts) {
        for (Attempt a : attempts) {
            out.printf("attempt %d (%s prompt): %s, %d tokens%s%n", a.number(), a.prompt().name().toLowerCase(java.util.Locale.ROOT),
                    a.valid() ? "valid" : "invalid, " + a.errors().size() + " error(s)", a.usage().totalTokens(),
                    a.toolCalls() > 0 ? ", " + a.toolCalls() + " tool call(s)" : "");
            for (ValidationError e : a.errors()) out.println("    - " + e.describe());
        }
    }

    static void printErrors(PrintWriter out, List<ValidationError> errors, List<ValidationError> warnings) {
        for (ValidationError e : errors) {
            out.println("  error   " + e.describe());
            if (e.suggestion() != null) out.println("          fix: " + e.suggestion());
        }
        for (ValidationError w : warnings) {
            out.println("  warning " + w.describe());
            if (w.suggestion() != null) out.println("          fix: " + w.suggestion());
        }
    }

    private static String pretty(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            return String.valueOf(n);
        }
    }
}
