package io.sigil.bench.peers;

import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.FakeReply;

import java.util.concurrent.CountDownLatch;

/**
 * The one zero-latency OpenAI-compatible server of the peer benchmark, run as its own process so that its CPU and
 * allocation are not counted against the contenders. Prints {@code base-url <url>} when ready; the request count and
 * bytes are at {@code GET /_fake/stats}.
 */
public final class PeerFakeServer {
    private PeerFakeServer() { }

    public static void main(String[] args) throws InterruptedException {
        FakeOpenAiServer server = new FakeOpenAiServer(0);
        LeadTask.Answers answers = new LeadTask.Answers();
        server.respondWith(request -> FakeReply.json(answers.answer(request.body())));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("base-url " + server.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
