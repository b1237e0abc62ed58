package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.ModelResolver;
import io.sigil.llm.StreamListener;
import io.sigil.llm.Usage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sigil llm ping|chat}: check the model configuration and talk to a model directly. */
@Command(name = "llm", description = "Check the model configuration and talk to a model directly.",
        subcommands = {LlmCommand.Ping.class, LlmCommand.Chat.class})
public final class LlmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** Options both subcommands take, applied over the effective settings. */
    static final class ModelOptions {
        @Option(names = {"-m", "--model"}, paramLabel = "PROVIDER:MODEL",
                description = "anthropic:<model>, openai:<model>, ollama:<model> or test (default: the configured model).")
        String model;

        @Option(names = "--base-url", paramLabel = "URL",
                description = "Send requests to this server (a proxy, Ollama, vLLM, LM Studio, a fake).")
        String baseUrl;

        Settings.Llm apply(Settings.Llm llm) {
            if (baseUrl == null) return llm;
            return llm.toBuilder().baseUrl(baseUrl).build();
        }
    }

    /** The usage line printed after an answer. */
    static String usageLine(ModelResolver.ModelRef ref, ChatResponse response) {
        Usage u = response.usage();
        return "usage: " + u.inputTokens() + " input + " + u.outputTokens() + " output tokens"
                + (u.cacheReadTokens() + u.cacheWriteTokens() > 0
                    ? " (cache read " + u.cacheReadTokens() + ", cache write " + u.cacheWriteTokens() + ")" : "")
                + " | " + ref + " | " + response.latency().toMillis() + " ms"
                + (response.requestId() == null ? "" : " | request " + response.requestId());
    }

    @Command(name = "ping", description = "Make one tiny call to check the model, key and network.")
    static final class Ping implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ModelOptions options;

        @Override
        public Integer call() {
            ModelResolver resolver = new ModelResolver(options.apply(SigilCommand.root(spec).settings().llm()));
            ModelResolver.ModelRef ref = resolver.parse(options.model);
            ChatModel model = resolver.resolve(ref);
            ChatResponse response = model.chat(ChatRequest.builder().user("Reply with the single word: pong")
                    .maxTokens(16).build());
            PrintWriter out = spec.commandLine().getOut();
            out.println("ok: " + ref + " answered in " + response.latency().toMillis() + " ms"
                    + (response.requestId() == null ? "" : " (request " + response.requestId() + ")"));
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "chat", description = "Send one message and print the answer, then the token usage (on stderr).")
    static final class Chat implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ModelOptions options;

        @Parameters(arity = "1..*", paramLabel = "MESSAGE", description = "The message (words are joined by spaces).")
        List<String> words;

        @Option(names = "--stream", description = "Print the answer as it arrives.")
        boolean stream;

        @Option(names = "--system", paramLabel = "PROMPT", description = "A system prompt.")
        String system;

        @Option(names = "--max-tokens", paramLabel = "N", description = "Limit the answer's length.")
        Integer maxTokens;

        @Override
        public Integer call() {
            ModelResolver resolver = new ModelResolver(options.apply(SigilCommand.root(spec).settings().llm()));
            ModelResolver.ModelRef ref = resolver.parse(options.model);
            ChatModel model = resolver.resolve(ref);
            ChatRequest request = ChatRequest.builder().system(system).user(String.join(" ", words))
                    .maxTokens(maxTokens).build();
            PrintWriter out = spec.commandLine().getOut();
            ChatResponse response;
            if (stream) {
                response = model.stream(request, new StreamListener() {
                    @Override
                    public void onText(String delta) {
                        out.print(delta);
                        out.flush();
                    }
                });
                out.println();
            } else {
                response = model.chat(request);
                out.println(response.text());
            }
            response.toolCalls().forEach(c -> out.println("tool call: " + c.name() + " " + c.arguments()));
            out.flush();
            // Usage goes to stderr so stdout stays the answer alone (pipeable).
            PrintWriter err = spec.commandLine().getErr();
            err.println(usageLine(ref, response));
            err.flush();
            return ExitCodes.OK;
        }
    }
}
