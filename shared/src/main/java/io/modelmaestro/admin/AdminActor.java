package io.modelmaestro.admin;

import org.jspecify.annotations.Nullable;

/** Who performed an admin action, for the audit log. */
public record AdminActor(String name, @Nullable String ip) {}
