package io.sigil.telemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Span names and attributes of the OpenTelemetry semantic conventions for generative AI (gen_ai.*), plus Sigil's
 * own (sigil.*). Defined here rather than taken from the incubating semconv artifact, which changes between releases.
 */
public final class GenAi {
    private GenAi() { }

    public static final String INVOKE_AGENT = "invoke_agent";
    public static final String CHAT = "chat";
    public static final String EXECUTE_TOOL = "execute_tool";

    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    /** The older name of the provider attribute; set too, for backends that read only it. */
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    public static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<java.util.List<String>> RESPONSE_FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    public static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    public static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");
    public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    public static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    public static final AttributeKey<String> SIGIL_REQUEST_ID = AttributeKey.stringKey("sigil.request_id");
    public static final AttributeKey<String> SIGIL_STAGE = AttributeKey.stringKey("sigil.stage");
    public static final AttributeKey<String> SIGIL_STATUS = AttributeKey.stringKey("sigil.run.status");
    public static final AttributeKey<Long> SIGIL_ATTEMPT = AttributeKey.longKey("sigil.contract.attempt");
    public static final AttributeKey<Boolean> SIGIL_VALID = AttributeKey.booleanKey("sigil.contract.valid");
    public static final AttributeKey<String> SIGIL_STEP_ID = AttributeKey.stringKey("sigil.plan.step_id");
}
