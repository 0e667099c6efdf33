package io.modelmaestro.auth;

import io.modelmaestro.catalog.UserAccess;

/** An authenticated gateway user, as the request path sees it, with its allowlists. */
public record Principal(long userId, String username, UserAccess access) {}
