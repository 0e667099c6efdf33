package io.modelmaestro.routing;

/** A successful attempt: where it went, what it produced, and how many attempts it took. */
public record Routed<T>(Target target, T value, int attempts) {}
