package io.modelmaestro.routing;

/**
 * The group part of a {@link Resolution}.
 *
 * @param name the group's name as configured (the client may have added {@code :latest})
 * @param memberLimit the most members this request may try (the group's failover limit)
 */
public record GroupRoute(String name, int memberLimit) {}
