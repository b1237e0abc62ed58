package io.sigil.llm;

/** Why the model stopped, normalised across providers. */
public enum StopReason { END_TURN, MAX_TOKENS, STOP_SEQUENCE, TOOL_USE, REFUSAL, OTHER }
