package io.modelmaestro.catalog;

/** What authentication and access control need to know about a user, held in memory. */
public record UserRecord(long id, String username, String tokenId, boolean active, UserAccess access) {

    public UserRecord(long id, String username, String tokenId, boolean active) {
        this(id, username, tokenId, active, UserAccess.UNRESTRICTED);
    }
}
