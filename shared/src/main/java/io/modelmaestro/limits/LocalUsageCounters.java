package io.modelmaestro.limits;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * In-process counters: the store when no Redis is configured (one instance), and the fallback while Redis is
 * unreachable. Synchronised per user-day key, which is enough for one JVM.
 */
public final class LocalUsageCounters implements UsageCounters {

    private final Map<String, long[]> counters = new ConcurrentHashMap<>();

    @Override
    public Mono<Decision> reserve(
            long userId, LocalDate day, DailyLimits limits, long tokenEstimate, Supplier<Counts> baseline) {
        String key = userId + ":" + day;
        long[] existing = counters.get(key);
        if (existing != null) {
            return Mono.just(reserveIn(existing, limits, tokenEstimate));
        }
        return Mono.fromCallable(baseline::get)
                .subscribeOn(Schedulers.boundedElastic())
                .map(base -> {
                    long[] c = counters.computeIfAbsent(key, k -> new long[] {base.requests(), base.tokens()});
                    return reserveIn(c, limits, tokenEstimate);
                });
    }

    private static Decision reserveIn(long[] c, DailyLimits limits, long estimate) {
        synchronized (c) {
            Long maxRequests = limits.requests();
            Long maxTokens = limits.tokens();
            if ((maxRequests != null && c[0] + 1 > maxRequests) || (maxTokens != null && c[1] >= maxTokens)) {
                return new Decision(false, new Counts(c[0], c[1]));
            }
            c[0] += 1;
            c[1] += estimate;
            return new Decision(true, new Counts(c[0], c[1]));
        }
    }

    @Override
    public Mono<Void> settle(long userId, LocalDate day, long tokenDelta) {
        long[] c = counters.get(userId + ":" + day);
        if (c != null) {
            synchronized (c) {
                c[1] = Math.max(0, c[1] + tokenDelta);
            }
        }
        return Mono.empty();
    }

    /** Forgets counters of days before {@code today} (called by the limiter now and then). */
    public void evictBefore(LocalDate today) {
        counters.keySet()
                .removeIf(k -> LocalDate.parse(k.substring(k.indexOf(':') + 1)).isBefore(today));
    }
}
