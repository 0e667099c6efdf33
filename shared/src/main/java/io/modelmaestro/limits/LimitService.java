package io.modelmaestro.limits;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.modelmaestro.auth.Principal;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.persistence.ActivityLogRepository;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Daily request and token limits per user (UTC day, injected clock).
 *
 * <p>Before the call, {@link #reserve} counts the request and reserves a token estimate in one atomic step; after
 * it, the ticket settles the estimate with the real count (also for streams cut short). Requests are exact: the cap
 * is never exceeded. Tokens: a request is admitted while the day's used-plus-reserved tokens are below the cap, so the
 * cap can be exceeded by at most what the requests in flight at that moment use beyond their estimates — bounded by
 * concurrency × the largest answer (docs/limits.md).
 *
 * <p>With {@code redis.uri} set, counters live in Redis and are shared by every instance; without it, in process.
 * Redis calls time out after {@code maestro.limits.redis-timeout}; then {@code maestro.limits.fail-open} (default
 * true) admits against in-process counters, and false refuses with 503. Missing counters are rebuilt from the
 * activity log in PostgreSQL.
 */
@Singleton
public class LimitService {

    private static final Logger LOG = LoggerFactory.getLogger(LimitService.class);

    private final InstantSource clock;
    private final ActivityLogRepository activity;
    private final LocalUsageCounters local = new LocalUsageCounters();
    private final @Nullable RedisUsageCounters redis;
    private final boolean failOpen;

    public LimitService(
            InstantSource clock,
            ActivityLogRepository activity,
            BeanProvider<RedisClient> redisClient,
            @Value("${maestro.limits.fail-open:true}") boolean failOpen,
            @Value("${maestro.limits.redis-timeout:500ms}") Duration redisTimeout,
            @Value("${redis.uri:}") String redisUri) {
        this.clock = clock;
        this.activity = activity;
        this.failOpen = failOpen;
        this.redis = redisClient.isPresent() && !redisUri.isBlank()
                ? new RedisUsageCounters(redisClient.get(), RedisURI.create(redisUri), redisTimeout)
                : null;
    }

    /** A reservation to settle when the request ends. */
    public interface Ticket {
        void settle(long actualTokens);
    }

    private static final Ticket NONE = tokens -> {};

    public Mono<Ticket> reserve(Principal principal, long tokenEstimate) {
        DailyLimits limits = principal.limits();
        if (limits.unlimited()) {
            return Mono.just(NONE);
        }
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long userId = principal.userId();
        Supplier<Counts> baseline = () -> baseline(userId, day);
        UsageCounters primary = redis != null ? redis : local;
        return primary.reserve(userId, day, limits, tokenEstimate, baseline)
                .map(d -> new Reserved(primary, d))
                .onErrorResume(error -> {
                    if (primary == local) {
                        return Mono.error(error);
                    }
                    LOG.warn(
                            "usage counters in Redis unavailable ({}); failing {}",
                            error.toString(),
                            failOpen ? "open" : "closed");
                    if (!failOpen) {
                        return Mono.error(new GatewayException.NoHealthyNode(
                                "Usage limits cannot be checked right now; try again shortly"));
                    }
                    return local.reserve(userId, day, limits, tokenEstimate, baseline)
                            .map(d -> new Reserved(local, d));
                })
                .flatMap(r -> {
                    if (!r.decision().admitted()) {
                        return Mono.error(refusal(limits, r.decision().counts(), now));
                    }
                    UsageCounters store = r.store();
                    return Mono.just((Ticket) actual -> store.settle(userId, day, actual - tokenEstimate)
                            .onErrorResume(e -> Mono.empty())
                            .subscribe());
                });
    }

    private record Reserved(UsageCounters store, UsageCounters.Decision decision) {}

    private Counts baseline(long userId, LocalDate day) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        ActivityLogRepository.UsageRow row = activity.usageBetween(userId, from, from.plus(Duration.ofDays(1)));
        return new Counts(row.requests(), row.tokens());
    }

    static GatewayException.RateLimited refusal(DailyLimits limits, Counts counts, Instant now) {
        long reset = Duration.between(
                        now,
                        LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC))
                .toSeconds();
        Map<String, String> headers = new LinkedHashMap<>();
        Long maxRequests = limits.requests();
        Long maxTokens = limits.tokens();
        if (maxRequests != null) {
            headers.put("x-ratelimit-limit-requests", Long.toString(maxRequests));
            headers.put("x-ratelimit-remaining-requests", Long.toString(Math.max(0, maxRequests - counts.requests())));
            headers.put("x-ratelimit-reset-requests", reset + "s");
        }
        if (maxTokens != null) {
            headers.put("x-ratelimit-limit-tokens", Long.toString(maxTokens));
            headers.put("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, maxTokens - counts.tokens())));
            headers.put("x-ratelimit-reset-tokens", reset + "s");
        }
        boolean requestsHit = maxRequests != null && counts.requests() >= maxRequests;
        String what =
                requestsHit ? "daily request limit (" + maxRequests + ")" : "daily token limit (" + maxTokens + ")";
        return new GatewayException.RateLimited(
                "You have reached your " + what + "; it resets at 00:00 UTC", reset, headers);
    }

    @PreDestroy
    void close() {
        RedisUsageCounters r = redis;
        if (r != null) {
            r.close();
        }
    }
}
