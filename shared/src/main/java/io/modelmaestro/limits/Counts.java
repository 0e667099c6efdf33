package io.modelmaestro.limits;

/** A user's usage so far today: requests admitted and tokens used (settled plus still reserved). */
public record Counts(long requests, long tokens) {}
