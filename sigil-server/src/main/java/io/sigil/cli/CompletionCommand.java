package io.sigil.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code sigil completion bash|zsh}: prints a completion script for the whole command tree. picocli's script
 * serves both shells (in zsh it loads bashcompinit itself).
 */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {
        "Print a shell completion script.",
        "bash: source <(sigil completion bash)   zsh: source <(sigil completion zsh)"})
final class CompletionCommand implements Runnable, SigilCommand.ConfigFree {
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("# sigil completion for " + shell + "; load with: source <(sigil completion " + shell + ")");
        out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        out.flush();
    }
}
