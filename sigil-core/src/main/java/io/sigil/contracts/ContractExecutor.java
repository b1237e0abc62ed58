package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sigil.contracts.ContractResult.Outcome;
import io.sigil.errors.ToolError;
import io.sigil.events.EventSink;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.InstanceCache;
import io.sigil.llm.LlmError;
import io.sigil.llm.Message;
import io.sigil.llm.OutputSchema;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;
import io.sigil.llm.Usage;
import io.sigil.tokens.TokenBudgetExceeded;
import io.sigil.tools.Tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Produces a contract's output with a model: an attempt, validation, and up to {@code max_retries} retries with
 * escalating prompts that carry only the latest errors; then the failure strategy ({@code retry}/{@code fail}
 * raise {@link ContractValidationError}, {@code fallback} degrades to a partial result or the template).
 *
 * <p>Budgets: the tokens of every call count (TokenBudgetExceeded when a limit is crossed, a warning event at the
 * threshold); no retry starts with fewer than {@value #MIN_TOKENS_FOR_RETRY} tokens left; {@code timeout_seconds}
 * bounds the whole execution (calls are cancelled by interrupt); {@code max_tool_calls} bounds tool use.
 */
public final class ContractExecutor {
    public static final int MIN_TOKENS_FOR_RETRY = 500;
    /** Model rounds within one attempt when the model keeps calling tools without a limit. */
    static final int MAX_TOOL_ROUNDS = 10;

    private final ChatModel model;
    private final ContractValidator validator;
    private final EventSink events;
    private final MeterRegistry metrics;
    private final List<Tool> tools;
    private final List<ToolSpec> toolSpecs;
    private final long defaultMaxTotalTokens;
    /** What a contract's calls share, derived once per contract instance (see {@link Prepared}). */
    private final InstanceCache<Contract, Prepared> prepared = new InstanceCache<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();

    private ContractExecutor(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.validator = b.validator;
        this.events = b.events;
        this.metrics = b.metrics;
        this.tools = List.copyOf(b.tools);
        this.toolSpecs = this.tools.stream().map(Tool::spec).toList();
        this.defaultMaxTotalTokens = b.defaultMaxTotalTokens;
    }

    /** An executor over {@code model}; everything else is optional (no events, no metrics, no tools, no budget). */
    public static Builder builder(ChatModel model) { return new Builder(model); }

    public static final class Builder {
        private final ChatModel model;
        private ContractValidator validator = new ContractValidator();
        private EventSink events = EventSink.NONE;
        private MeterRegistry metrics = new io.micrometer.core.instrument.composite.CompositeMeterRegistry(); // no-op
        private List<Tool> tools = List.of();
        private long defaultMaxTotalTokens;

        private Builder(ChatModel model) { this.model = Objects.requireNonNull(model, "model"); }

        public Builder validator(ContractValidator v) { this.validator = Objects.requireNonNull(v, "validator"); return this; }

        /** Where attempts, retries and budget warnings are recorded (default: nowhere). */
        public Builder events(EventSink e) { this.events = Objects.requireNonNull(e, "events"); return this; }

        /** Where the executor's counters go (default: a registry without backends, which records nothing). */
        public Builder metrics(MeterRegistry m) { this.metrics = Objects.requireNonNull(m, "metrics"); return this; }

        /** Tools the model may call while producing the output. */
        public Builder tools(List<? extends Tool> t) { this.tools = List.copyOf(t); return this; }

        /** The total token budget of contracts that set none (settings contracts.max_total_tokens); 0: unlimited. */
        public Builder defaultMaxTotalTokens(long tokens) {
            if (tokens < 0) throw new IllegalArgumentException("defaultMaxTotalTokens must be >= 0, got " + tokens);
            this.defaultMaxTotalTokens = tokens;
            return this;
        }

        public ContractExecutor build() { return new ContractExecutor(this); }
    }

    /**
     * The system prompt, output schema, counters and events of a contract, built on its first execution and reused. Without tools the
     * schema goes to the provider (native structured output) and is the only description of the deliverables: no
     * system prompt. With tools the provider's schema mode would keep the model from calling them, so the format is
     * in the system prompt instead.
     */
    private record Prepared(String system, OutputSchema outputSchema, Counters counters, ContractEvents events) { }

    /** By identity (a contract's equals and hashCode walk all its deliverables), bounded for reloaded contracts. */
    private Prepared prepare(Contract contract) {
        return prepared.of(contract, c -> new Prepared(tools.isEmpty() ? null : RetryPrompts.system(c),
                OutputSchemas.of(c), counters(c.name()), new ContractEvents(events, c.name())));
    }

    public ContractResult execute(Contract contract, String task) {
        return new Run(contract, task).execute();
    }

    /** The state of one execution. */
    private final class Run {
        private final Contract contract;
        private final String task;
        private final String system;
        private final OutputSchema outputSchema;
        private final Counters counters;
        private final ContractEvents events;
        private final AttemptBudget budget;
        private final long startNanos = System.nanoTime();
        private final long deadlineNanos;
        private final List<Attempt> attempts = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private int toolCalls;
        private ValidationResult best;
        private ValidationResult latest;

        Run(Contract contract, String task) {
            this.contract = contract;
            this.task = task;
            Prepared p = prepare(contract);
            this.system = p.system();
            this.outputSchema = p.outputSchema();
            this.counters = p.counters();
            this.events = p.events();
            this.budget = new AttemptBudget(contract.constraints(), defaultMaxTotalTokens);
            double t = contract.constraints().timeoutSeconds();
            this.deadlineNanos = t > 0 ? startNanos + (long) (t * 1e9) : Long.MAX_VALUE;
        }

        ContractResult execute() {
            try {
                return attempts();
            } catch (TokenBudgetExceeded e) {
                completed("budget_exceeded");
                throw e;
            } catch (ContractTimeoutError e) {
                completed("timeout");
                throw e;
            } catch (ContractValidationError e) {
                completed("failed");
                throw e;
            } catch (RuntimeException e) {
                completed("error"); // e.g. the provider failed: the caller gets its error unchanged
                throw e;
            }
        }

        private ContractResult attempts() {
            int maxAttempts = 1 + Math.max(0, contract.maxRetries());
            for (int n = 1; n <= maxAttempts; n++) {
                RetryPrompts.Level level = n == 1 ? RetryPrompts.Level.INITIAL : RetryPrompts.Level.forRetry(n - 1);
                if (n > 1) {
                    if (budget.remaining() < MIN_TOKENS_FOR_RETRY) {
                        warnings.add("No retry: " + budget.remaining() + " tokens remain, fewer than "
                                + MIN_TOKENS_FOR_RETRY);
                        break;
                    }
                    events.retry(n, level, latest.errors(), budget.used().totalTokens(), budget.remaining());
                }
                Attempt attempt = attempt(n, level);
                attempts.add(attempt);
                if (attempt.valid()) {
                    ContractResult r = result(latest.output(), Outcome.VALID, List.of());
                    completed(Outcome.VALID.label());
                    return r;
                }
            }
            return exhausted();
        }

        /** One attempt in a {@code contract_attempt} span (its model calls are its children). */
        private Attempt attempt(int n, RetryPrompts.Level level) {
            io.opentelemetry.api.trace.Span span = io.sigil.telemetry.Tracing.tracer().spanBuilder("contract_attempt")
                    .setAttribute(io.sigil.telemetry.GenAi.SIGIL_STAGE, "contract_attempt")
                    .setAttribute(io.sigil.telemetry.GenAi.SIGIL_ATTEMPT, (long) n).startSpan();
            try (var ignored = span.makeCurrent()) {
                Attempt a = attemptTraced(n, level);
                span.setAttribute(io.sigil.telemetry.GenAi.SIGIL_VALID, a.valid());
                return a;
            } catch (RuntimeException e) {
                io.sigil.telemetry.Tracing.fail(span, e);
                throw e;
            } finally {
                span.end();
            }
        }

        private Attempt attemptTraced(int n, RetryPrompts.Level level) {
            List<Message> messages = new ArrayList<>();
            messages.add(Message.user(task));
            if (n > 1) {
                // Bounded context: the task, the latest answer (cut) and the latest errors only.
                String previous = attempts.getLast().rawOutput();
                if (previous != null && !previous.isBlank()) messages.add(Message.assistant(RetryPrompts.previousOutput(previous)));
                messages.add(Message.user(RetryPrompts.retry(contract, level, latest.errors(), tools.isEmpty())));
            }
            Usage before = budget.used();
            int callsBefore = toolCalls;
            String text = converse(messages);
            events.validationStarted(n, contract.version());
            ValidationResult v = validator.validateText(contract, text);
            Usage attemptUsage = minus(budget.used(), before);
            latest = v;
            if (best == null || v.validDeliverables().size() >= best.validDeliverables().size()) best = v;
            (v.valid() ? counters.valid() : counters.invalid()).increment();
            if (v.valid()) events.validated(n, v.warnings());
            else events.validationFailed(n, v.errors());
            return new Attempt(n, level, text, attemptUsage, v.errors(), v.valid(), toolCalls - callsBefore);
        }

        /** Calls the model, running requested tools (within max_tool_calls) until it answers with text. */
        private String converse(List<Message> messages) {
            int maxToolCalls = contract.constraints().maxToolCalls();
            boolean toolsOpen = !tools.isEmpty();
            for (int round = 0; ; round++) {
                // Native structured output only when no tool is on offer: a provider's schema mode forces the answer
                // (Anthropic makes it a required tool call), which would keep the model from calling tools.
                // While tools are open the format is in the system prompt and the JSON is extracted from the text.
                ChatRequest.Builder request = ChatRequest.builder().system(system).messages(messages)
                        .outputSchema(toolsOpen ? null : outputSchema).maxTokens(budget.nextMaxTokens())
                        .metadata("contract_name", contract.name());
                // Tools stay declared once used (providers require it when the history holds tool calls);
                // past the limit the model is told not to call them.
                if (!tools.isEmpty()) request.tools(toolSpecs).toolChoice(toolsOpen ? ToolChoice.AUTO : ToolChoice.NONE);
                ChatResponse response = call(request.build());
                if (budget.add(response.usage())) {
                    events.budgetWarning(budget.used().totalTokens(), budget.maxTotal());
                    warnings.add("Token usage reached " + Math.round(contract.constraints().warnThreshold() * 100)
                            + "% of the budget (" + budget.used().totalTokens() + " of " + budget.maxTotal() + ")");
                }
                if (!response.hasToolCalls() || !toolsOpen) return response.text();
                if (round >= MAX_TOOL_ROUNDS) {
                    throw new ContractValidationError(contract.name(), "Contract '" + contract.name() + "': the model kept "
                            + "calling tools for " + MAX_TOOL_ROUNDS + " rounds without answering",
                            "Set constraints.max_tool_calls or make the task more specific.", response.text(),
                            attempts, budget.used(), List.of());
                }
                messages.add(new Message.Assistant(response.text(), response.toolCalls()));
                for (ToolCall tc : response.toolCalls()) {
                    if (maxToolCalls > 0 && toolCalls >= maxToolCalls) {
                        toolsOpen = false;
                        messages.add(Message.toolResult(tc.id(), tc.name(), "Tool call limit of " + maxToolCalls
                                + " reached: answer now with the JSON object, without tools.", true));
                        continue;
                    }
                    toolCalls++;
                    messages.add(runTool(tc));
                }
                if (maxToolCalls > 0 && toolCalls >= maxToolCalls) toolsOpen = false;
            }
        }

        private Message runTool(ToolCall tc) {
            Tool tool = tools.stream().filter(t -> t.name().equals(tc.name())).findFirst().orElse(null);
            if (tool == null) return Message.toolResult(tc.id(), tc.name(), "Unknown tool '" + tc.name() + "'", true);
            events.toolCalled(tc.name(), tc.id());
            try {
                return Message.toolResult(tc.id(), tc.name(), tool.execute(tc.arguments()), false);
            } catch (ToolError e) {
                return Message.toolResult(tc.id(), tc.name(), e.getMessage(), true);
            }
        }

        /**
         * One model call within the remaining time. The model enforces the deadline ({@link ChatModel#chat(ChatRequest,
         * Duration)}: one hand-off to another thread, shared with the provider's own timeout), and its timeout past
         * the contract's deadline is the contract's timeout.
         */
        private ChatResponse call(ChatRequest request) {
            if (deadlineNanos == Long.MAX_VALUE) return model.chat(request);
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) throw timeout();
            try {
                return model.chat(request, Duration.ofNanos(left));
            } catch (LlmError e) {
                if (e.kind() == LlmError.Kind.TIMEOUT && System.nanoTime() - deadlineNanos >= 0) throw timeout();
                if (e.kind() == LlmError.Kind.CANCELLED) {
                    throw new ContractValidationError(contract.name(), "Contract '" + contract.name()
                            + "' execution was cancelled", null, lastRaw(), attempts, budget.used(),
                            latest == null ? List.of() : latest.errors());
                }
                throw e;
            }
        }

        private ContractTimeoutError timeout() {
            return new ContractTimeoutError(contract.name(), contract.constraints().timeoutSeconds(), lastRaw(),
                    attempts, budget.used(), latest == null ? List.of() : latest.errors());
        }

        /** Retries used up (or no budget left for one): apply the failure strategy. */
        private ContractResult exhausted() {
            if (contract.failureStrategy() == FailureStrategy.FALLBACK) return fallback();
            throw new ContractValidationError(contract.name(), "Output does not satisfy contract '" + contract.name()
                    + "' after " + attempts.size() + " attempt(s): " + summary(latest.errors()),
                    "See the errors with their fields; adjust the task, the model or the contract "
                            + "(max_retries, failure_strategy: fallback).",
                    lastRaw(), attempts, budget.used(), latest.errors());
        }

        /**
         * Fallback (sigil-design.md section 8): when at least half the required deliverables are valid, keep every
         * valid deliverable and fill the other required ones from the template (their examples; without an example
         * they are missing); else return the template. Uses the attempt with the most valid deliverables.
         */
        private ContractResult fallback() {
            List<Deliverable> required = contract.required();
            long validRequired = required.stream().filter(d -> best.validDeliverables().contains(d.name())).count();
            JsonNode output;
            Outcome outcome;
            String message;
            if (validRequired * 2 >= required.size() && best.output() != null) {
                ObjectNode partial = Json.MAPPER.createObjectNode();
                int valid = 0, template = 0, missing = 0;
                for (Deliverable d : contract.deliverables()) {
                    if (best.validDeliverables().contains(d.name())) {
                        partial.set(d.name(), best.output().get(d.name()));
                        valid++;
                    } else if (d.required() && d.example() != null) {
                        partial.set(d.name(), d.example());
                        template++;
                    } else if (d.required()) {
                        missing++;
                    } // an invalid optional deliverable is left out
                }
                output = partial;
                outcome = Outcome.PARTIAL;
                message = "Partial result: " + valid + " valid, " + template + " template, " + missing + " missing";
                events.partialFallback(valid, template, missing, message);
            } else {
                output = contract.example();
                outcome = Outcome.TEMPLATE;
                message = "Template result: only " + validRequired + " of " + required.size()
                        + " required deliverables were valid; this output is the contract template, review it before use";
                events.templateFallback((int) validRequired, required.size(), message);
            }
            warnings.add(message);
            ContractResult r = result(output, outcome, best.errors());
            completed(outcome.label());
            return r;
        }

        private ContractResult result(JsonNode output, Outcome outcome, List<ValidationError> errors) {
            return new ContractResult(contract.name(), output, outcome, attempts, budget.used(), errors, warnings,
                    Duration.ofNanos(System.nanoTime() - startNanos), toolCalls);
        }

        private void completed(String outcome) {
            events.completed(outcome, attempts.size(), budget.used().totalTokens(), toolCalls,
                    (System.nanoTime() - startNanos) / 1_000_000);
        }

        private String lastRaw() { return attempts.isEmpty() ? null : attempts.getLast().rawOutput(); }
    }

    /** A contract's validation counters, registered once per contract name and shared by its prepared forms. */
    private record Counters(Counter valid, Counter invalid) { }

    private Counters counters(String contractName) {
        return counters.computeIfAbsent(contractName, name -> new Counters(counter(name, "valid"), counter(name, "invalid")));
    }

    private Counter counter(String contractName, String result) {
        return Counter.builder("sigil_contract_validations_total").description("Contract validation count")
                .tag("contract_name", contractName).tag("result", result).register(metrics);
    }

    private static String summary(List<ValidationError> errors) {
        List<String> parts = errors.stream().limit(5).map(ValidationError::describe).toList();
        return String.join("; ", parts) + (errors.size() > 5 ? "; and " + (errors.size() - 5) + " more" : "");
    }

    private static Usage minus(Usage a, Usage b) {
        return new Usage(a.inputTokens() - b.inputTokens(), a.outputTokens() - b.outputTokens(),
                a.cacheReadTokens() - b.cacheReadTokens(), a.cacheWriteTokens() - b.cacheWriteTokens());
    }
}
