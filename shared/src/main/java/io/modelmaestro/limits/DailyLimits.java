package io.modelmaestro.limits;

import org.jspecify.annotations.Nullable;

/** A user's caps per UTC day; null means unlimited. */
public record DailyLimits(@Nullable Long requests, @Nullable Long tokens) {
    public static final DailyLimits UNLIMITED = new DailyLimits(null, null);

    public boolean unlimited() {
        return requests == null && tokens == null;
    }
}
