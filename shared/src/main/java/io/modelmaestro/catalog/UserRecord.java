package io.modelmaestro.catalog;

/** What authentication needs to know about a user, held in memory. */
public record UserRecord(long id, String username, String tokenId, boolean active) {}
