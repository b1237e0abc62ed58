package io.sigil.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTreeTest {

    private static List<String> names(List<CommandTree.Sub> subs) {
        return subs.stream().map(CommandTree.Sub::name).toList();
    }

    @Test
    void eachRegisteredNameIsTheNameItsCommandDeclares() {
        for (CommandTree.Sub sub : CommandTree.all()) {
            assertThat(sub.type().getAnnotation(CommandLine.Command.class).name()).as(sub.type().getName())
                    .isEqualTo(sub.name());
        }
        assertThat(names(CommandTree.all())).doesNotHaveDuplicates().hasSizeGreaterThan(25);
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuiltWhereverTheGlobalOptionsStand() {
        assertThat(names(CommandTree.neededBy("run", "--model", "test", "hello"))).containsExactly("run");
        assertThat(names(CommandTree.neededBy("--set", "llm.model=test", "--debug", "run", "plans"))).containsExactly("run");
        assertThat(names(CommandTree.neededBy("--config-dir", "run", "plans", "list"))).containsExactly("plans");
        assertThat(names(CommandTree.neededBy("--env-file=x.env", "config", "show"))).containsExactly("config");
        assertThat(names(CommandTree.neededBy("plans", "--help"))).containsExactly("plans");
    }

    @Test
    void versionAloneNeedsNoSubcommand() {
        assertThat(CommandTree.neededBy("--version")).isEmpty();
        assertThat(CommandTree.neededBy("--debug", "-V")).isEmpty();
        assertThat(CommandTree.neededBy("--set", "a=b", "--version")).isEmpty();
    }

    @Test
    void whatListsOrSearchesTheCommandsGetsTheWholeTree() {
        var all = names(CommandTree.all());
        assertThat(names(CommandTree.neededBy())).isEqualTo(all);                       // usage
        assertThat(names(CommandTree.neededBy("--help"))).isEqualTo(all);
        assertThat(names(CommandTree.neededBy("--version", "--help"))).isEqualTo(all);  // help wins in picocli
        assertThat(names(CommandTree.neededBy("help", "run"))).isEqualTo(all);
        assertThat(names(CommandTree.neededBy("completion", "bash"))).isEqualTo(all);
        assertThat(names(CommandTree.neededBy("rn", "hello"))).isEqualTo(all);         // "did you mean 'run'"
        assertThat(names(CommandTree.neededBy("--", "run"))).isEqualTo(all);
    }

    @Test
    void theLazyTreeBehavesAsTheWholeOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var lazy = new CliHarness(Installation.at(dir).env(), dir);
        CliHarness.Run typo = lazy.run("rn", "hello");
        assertThat(typo.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).contains("did you mean 'sigil run'?");

        CliHarness.Run usage = lazy.run("--help");
        assertThat(usage.out()).contains("run", "plans", "evolve", "completion");

        CliHarness.Run inherited = lazy.run("route", "--set", "llm.model=test", "hello");
        assertThat(inherited.exit()).as(inherited.err()).isZero();
    }
}
