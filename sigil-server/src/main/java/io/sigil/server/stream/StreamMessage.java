package io.sigil.server.stream;

import java.time.Instant;

/**
 * One message of a run stream, the same on WebSocket and SSE: {@code {type, data, timestamp, sequence}}.
 * {@code sequence} counts from 1 per connection (per SSE response), with no gaps, so a client sees a lost message.
 */
public record StreamMessage(String type, Object data, Instant timestamp, long sequence) { }
