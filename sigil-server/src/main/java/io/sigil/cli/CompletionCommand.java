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
        // The script registers for "sigil"; a checkout runs bin/sigil, which the shell completes by the word as typed.
        out.println("complete -F _complete_sigil -o default " + String.join(" ", launcherPaths()));
        out.flush();
    }

    /** How the launcher script is usually typed: relative to a checkout, and its absolute path when found. */
    static java.util.List<String> launcherPaths() {
        var paths = new java.util.ArrayList<>(java.util.List.of("bin/sigil", "./bin/sigil"));
        try {
            // The distribution jar sits in <checkout>/sigil-server/target; the launcher in <checkout>/bin.
            java.nio.file.Path jar = java.nio.file.Path.of(CompletionCommand.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            java.nio.file.Path home = jar.getParent() == null || jar.getParent().getParent() == null ? null
                    : jar.getParent().getParent().getParent();
            if (home != null && java.nio.file.Files.isRegularFile(home.resolve("bin/sigil"))) {
                paths.add(home.resolve("bin/sigil").toString());
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no code source location (embedded): the relative forms still apply
        }
        return paths;
    }
}
