package io.modelmaestro.auth;

/** An authenticated gateway user, as the request path sees it. */
public record Principal(long userId, String username) {}
