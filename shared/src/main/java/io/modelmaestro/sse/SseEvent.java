package io.modelmaestro.sse;

import org.jspecify.annotations.Nullable;

/** One server-sent event: its {@code event:} name (null when absent) and its {@code data:} lines joined by "\n". */
public record SseEvent(@Nullable String event, String data) {}
