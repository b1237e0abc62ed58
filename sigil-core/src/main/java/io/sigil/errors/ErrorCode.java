package io.sigil.errors;

/** The closed set of error codes of sigil-design.md section 3, shown as {@code [CODE] message}. */
public enum ErrorCode {
    CONFIG_ERROR,
    AGENT_ERROR,
    MEMORY_ERROR,
    REASONING_ERROR,
    PLAN_EXECUTION_ERROR,
    ROUTING_ERROR,
    CONTRACT_ERROR,
    TOOL_ERROR,
    EVOLUTION_ERROR,
    TOKEN_BUDGET_EXCEEDED,
    /** A provider (LLM, embeddings) failed: carries provider, HTTP status and request id in the context. */
    LLM_ERROR,
    /** Event store or session storage failed (I/O, corruption, conflicts). */
    STATE_ERROR,
    /** A named thing (session, agent, contract, memory category) does not exist. */
    NOT_FOUND,
    /** Caller input is malformed: a bad argument, file or request body. */
    INVALID_INPUT
}
