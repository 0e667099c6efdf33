package io.modelmaestro.catalog;

import io.modelmaestro.limits.DailyLimits;

/** What authentication, access control and limits need to know about a user, held in memory. */
public record UserRecord(
        long id, String username, String tokenId, boolean active, UserAccess access, DailyLimits limits) {

    public UserRecord(long id, String username, String tokenId, boolean active) {
        this(id, username, tokenId, active, UserAccess.UNRESTRICTED, DailyLimits.UNLIMITED);
    }
}
