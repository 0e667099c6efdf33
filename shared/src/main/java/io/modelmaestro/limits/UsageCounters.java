package io.modelmaestro.limits;

import java.time.LocalDate;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Atomic per-user, per-day counters. {@link #reserve} checks and counts in one step, so concurrent requests cannot
 * all slip under a cap; {@link #settle} corrects the reserved token estimate with the real count.
 */
public interface UsageCounters {

    /** The outcome of a reservation: admitted or not, and the counts after it (or as they were, when refused). */
    record Decision(boolean admitted, Counts counts) {}

    /**
     * @param baseline where counters come from when the store has none for this day (PostgreSQL's activity log);
     *     called off the event loop, at most once per missing day
     */
    Mono<Decision> reserve(
            long userId, LocalDate day, DailyLimits limits, long tokenEstimate, Supplier<Counts> baseline);

    Mono<Void> settle(long userId, LocalDate day, long tokenDelta);
}
