package io.sigil.fakes;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a fake provider server as a standalone process so a human can point Sigil at it:
 * {@code FakeServerMain anthropic|openai [--port N] [--fail-first 429|529|500] [--chunk-delay-ms N]}.
 * Unscripted requests get an echo answer; {@code --fail-first} makes the first request fail with that status.
 */
public final class FakeServerMain {
    private FakeServerMain() { }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0 || !(args[0].equals("anthropic") || args[0].equals("openai"))) {
            System.err.println("usage: FakeServerMain anthropic|openai [--port N] [--fail-first 429|529|500] [--chunk-delay-ms N]");
            System.exit(2);
        }
        int port = 8089;
        Integer failFirst = null;
        long chunkDelayMs = 40;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--fail-first" -> failFirst = Integer.parseInt(args[i + 1]);
                case "--chunk-delay-ms" -> chunkDelayMs = Long.parseLong(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        FakeLlmServer server = args[0].equals("anthropic") ? new FakeAnthropicServer(port) : new FakeOpenAiServer(port);
        server.streamChunkDelay(Duration.ofMillis(chunkDelayMs));
        if (failFirst != null) {
            server.enqueue(switch (failFirst) {
                case 429 -> FakeReply.rateLimited(1);
                case 529 -> FakeReply.overloaded();
                default -> FakeReply.serverError();
            });
        }
        System.out.println("fake " + server.provider() + " server listening at " + server.baseUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        new CountDownLatch(1).await();
    }
}
