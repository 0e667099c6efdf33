package io.modelmaestro.limits;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Counters shared by every gateway instance, in Redis: {@code maestro:usage:{user}:{day}:req} and {@code :tok}, kept
 * for two days. The check-and-count is one Lua script, so it is atomic across instances. When the keys are missing
 * (a new day, or Redis lost its data) the script says so, and the counters are rebuilt from PostgreSQL before retrying.
 */
public final class RedisUsageCounters implements UsageCounters {

    /** KEYS: req, tok. ARGV: request cap (-1 none), token cap (-1 none), token estimate, ttl seconds. */
    static final String RESERVE = """
            local r = redis.call('GET', KEYS[1])
            local t = redis.call('GET', KEYS[2])
            if (not r) or (not t) then return {-1, 0, 0} end
            r = tonumber(r)
            t = tonumber(t)
            local maxr = tonumber(ARGV[1])
            local maxt = tonumber(ARGV[2])
            if (maxr >= 0 and r + 1 > maxr) or (maxt >= 0 and t >= maxt) then return {0, r, t} end
            r = redis.call('INCR', KEYS[1])
            t = redis.call('INCRBY', KEYS[2], ARGV[3])
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            redis.call('EXPIRE', KEYS[2], ARGV[4])
            return {1, r, t}
            """;

    private static final long TTL_SECONDS = Duration.ofDays(2).toSeconds();

    private final Duration timeout;
    private final Mono<StatefulRedisConnection<String, String>> connection;
    private final Map<String, Mono<Void>> seeding = new ConcurrentHashMap<>();

    /**
     * Connects asynchronously (never blocking an event loop); a failed connect is retried on the next call, and an
     * established connection reconnects by itself when Redis comes back.
     */
    public RedisUsageCounters(RedisClient client, RedisURI uri, Duration timeout) {
        this.timeout = timeout;
        this.connection = Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, uri))
                .cache(c -> Duration.ofDays(3650), e -> Duration.ZERO, () -> Duration.ZERO);
        connection.subscribe(c -> {}, e -> {});
    }

    private Mono<RedisReactiveCommands<String, String>> commands() {
        return connection.map(StatefulRedisConnection::reactive);
    }

    static String requestsKey(long userId, LocalDate day) {
        return "maestro:usage:" + userId + ":" + day + ":req";
    }

    static String tokensKey(long userId, LocalDate day) {
        return "maestro:usage:" + userId + ":" + day + ":tok";
    }

    @Override
    public Mono<Decision> reserve(
            long userId, LocalDate day, DailyLimits limits, long tokenEstimate, Supplier<Counts> baseline) {
        return eval(userId, day, limits, tokenEstimate)
                .flatMap(decision -> decision != MISSING
                        ? Mono.just(decision)
                        : seed(userId, day, baseline).then(eval(userId, day, limits, tokenEstimate)))
                .flatMap(decision -> decision == MISSING
                        ? Mono.error(new IllegalStateException("usage counters vanished while being seeded"))
                        : Mono.just(decision));
    }

    /** Runs the script; {@link #MISSING} means the day's keys do not exist yet. */
    private Mono<Decision> eval(long userId, LocalDate day, DailyLimits limits, long estimate) {
        String[] keys = {requestsKey(userId, day), tokensKey(userId, day)};
        Long maxRequests = limits.requests();
        Long maxTokens = limits.tokens();
        return commands()
                .flatMapMany(c -> c.<List<Object>>eval(
                        RESERVE,
                        ScriptOutputType.MULTI,
                        keys,
                        Long.toString(maxRequests == null ? -1 : maxRequests),
                        Long.toString(maxTokens == null ? -1 : maxTokens),
                        Long.toString(estimate),
                        Long.toString(TTL_SECONDS)))
                .next()
                .timeout(timeout)
                .map(result -> {
                    long status = (Long) result.get(0);
                    if (status < 0) {
                        return MISSING;
                    }
                    return new Decision(status == 1, new Counts((Long) result.get(1), (Long) result.get(2)));
                });
    }

    private static final Decision MISSING = new Decision(false, new Counts(-1, -1));

    /**
     * Rebuilds the day's counters from PostgreSQL, once per user-day even when many requests find them missing at the
     * same moment; {@code SET NX} keeps whatever another instance wrote first. Not bounded by the Redis timeout: a
     * slow database is not a Redis outage.
     */
    private Mono<Void> seed(long userId, LocalDate day, Supplier<Counts> baseline) {
        String key = userId + ":" + day;
        return seeding.computeIfAbsent(key, k -> {
            SetArgs args = SetArgs.Builder.nx().ex(TTL_SECONDS);
            return Mono.fromCallable(baseline::get)
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(base -> commands()
                            .flatMap(c -> c.set(requestsKey(userId, day), Long.toString(base.requests()), args)
                                    .then(c.set(tokensKey(userId, day), Long.toString(base.tokens()), args))
                                    .timeout(timeout)))
                    .then()
                    .doFinally(signal -> seeding.remove(k))
                    .cache();
        });
    }

    @Override
    public Mono<Void> settle(long userId, LocalDate day, long tokenDelta) {
        if (tokenDelta == 0) {
            return Mono.empty();
        }
        return commands()
                .flatMap(c -> c.incrby(tokensKey(userId, day), tokenDelta))
                .timeout(timeout)
                .then();
    }

    public void close() {
        connection.subscribe(StatefulRedisConnection::close, e -> {});
    }
}
