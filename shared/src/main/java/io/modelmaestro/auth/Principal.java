package io.modelmaestro.auth;

import io.modelmaestro.catalog.UserAccess;
import io.modelmaestro.limits.DailyLimits;

/** An authenticated gateway user, as the request path sees it, with its allowlists and daily limits. */
public record Principal(long userId, String username, UserAccess access, DailyLimits limits) {

    public Principal(long userId, String username, UserAccess access) {
        this(userId, username, access, DailyLimits.UNLIMITED);
    }
}
