package io.sigil.bench;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.config.Settings;
import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.LlmCallListener;
import io.sigil.llm.ModelResolver;
import io.sigil.llm.ObservedChatModel;
import io.sigil.llm.ProviderBreakers;
import io.sigil.llm.ResilientChatModel;
import io.sigil.llm.RetryPolicy;
import io.sigil.llm.test.TestModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What Sigil's model port costs per call. Against the local fake Anthropic server over real HTTP:
 * {@code sdkDirect} is the baseline (the SDK alone), {@code portChat} is the full port as the platform uses it
 * (request mapping, resilience layer with its worker virtual thread, circuit breaker, response mapping, metrics and
 * listener). Without a network: {@code testModelChat} is the offline model, {@code testModelObserved} the same
 * behind the metrics and listener decorator, {@code testModelThroughFullPort} behind every layer a provider gets
 * (so the difference to {@code testModelChat} is the port's fixed cost per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LlmPortBenchmark {
    private static final String MODEL = "claude-bench";
    private static final String PROMPT = "Summarise the release notes in one sentence.";

    private FakeAnthropicServer server;
    private AnthropicClient sdk;
    private MessageCreateParams params;
    private ChatModel port;
    private ChatModel testModel;
    private ChatModel observedTestModel;
    private ChatModel resilientTestModel;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void start() {
        server = new FakeAnthropicServer();
        sdk = AnthropicOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("bench-key").maxRetries(0).build();
        params = MessageCreateParams.builder().model(MODEL).maxTokens(256).addUserMessage(PROMPT).build();
        Settings.Llm llm = Settings.Llm.builder().provider("anthropic").model(MODEL).temperature(0.7).maxTokens(256)
                .timeout(Duration.ofSeconds(30)).maxRetries(3).baseUrl(server.baseUrl()).anthropicApiKey("bench-key").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        port = new ObservedChatModel(new ModelResolver(llm).resolve("anthropic:" + MODEL), registry, LlmCallListener.NONE);
        testModel = TestModel.offline();
        observedTestModel = new ObservedChatModel(TestModel.offline(), registry, LlmCallListener.NONE);
        resilientTestModel = new ObservedChatModel(new ResilientChatModel(TestModel.offline(), RetryPolicy.DEFAULT,
                new ProviderBreakers().forProvider("test")), registry, LlmCallListener.NONE);
        request = ChatRequest.of(PROMPT);
    }

    @TearDown(Level.Trial)
    public void stop() {
        sdk.close();
        server.close();
    }

    @Benchmark
    public Message sdkDirect() { return sdk.messages().create(params); }

    @Benchmark
    public ChatResponse portChat() { return port.chat(request); }

    @Benchmark
    public ChatResponse testModelChat() { return testModel.chat(request); }

    @Benchmark
    public ChatResponse testModelObserved() { return observedTestModel.chat(request); }

    /** The port's whole fixed cost on a zero-latency model: worker thread, breaker, metrics, listener. */
    @Benchmark
    public ChatResponse testModelThroughFullPort() { return resilientTestModel.chat(request); }
}
