package io.sigil.events;

/** A session as the store sees it: how many events it holds, where its last one is, whether it has ended. */
public record StreamInfo(String sessionId, long version, long lastPosition, boolean ended) { }
