package io.modelmaestro.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Counts failed admin sign-ins per username and per client address. Once either key has {@code maxFailures} failures
 * inside {@code window}, further attempts on it are refused until the window that began with its first failure has
 * passed, correct password or not (so guessing cannot go on at a faster rate). A successful sign-in clears the
 * username's count. In process: each instance throttles on its own, which bounds guessing per instance.
 */
public final class SignInThrottle {

    /** Keys kept at most; past this, expired entries are dropped, then the oldest half. */
    private static final int MAX_KEYS = 10_000;

    private final InstantSource clock;
    private final int maxFailures;
    private final Duration window;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public SignInThrottle(InstantSource clock, int maxFailures, Duration window) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
    }

    private record Failures(Instant since, int count) {}

    /** Seconds until sign-in may be tried again for this username or address, or 0 when it may be tried now. */
    public long retryAfterSeconds(String username, @Nullable String ip) {
        Instant now = clock.instant();
        return Math.max(blockedFor(userKey(username), now), ip == null ? 0 : blockedFor(ipKey(ip), now));
    }

    public void failed(String username, @Nullable String ip) {
        Instant now = clock.instant();
        bump(userKey(username), now);
        if (ip != null) {
            bump(ipKey(ip), now);
        }
        if (failures.size() > MAX_KEYS) {
            prune(now);
        }
    }

    public void succeeded(String username) {
        failures.remove(userKey(username));
    }

    private long blockedFor(String key, Instant now) {
        Failures f = failures.get(key);
        if (f == null || f.count() < maxFailures) {
            return 0;
        }
        Instant until = f.since().plus(window);
        if (!now.isBefore(until)) {
            failures.remove(key, f);
            return 0;
        }
        return Math.max(1, Duration.between(now, until).toSeconds());
    }

    private void bump(String key, Instant now) {
        failures.compute(key, (k, f) -> {
            if (f == null || !now.isBefore(f.since().plus(window))) {
                return new Failures(now, 1);
            }
            return new Failures(f.since(), f.count() + 1);
        });
    }

    private void prune(Instant now) {
        failures.entrySet().removeIf(e -> !now.isBefore(e.getValue().since().plus(window)));
        if (failures.size() > MAX_KEYS) {
            Instant cutoff = now.minus(window.dividedBy(2));
            failures.entrySet().removeIf(e -> e.getValue().since().isBefore(cutoff));
        }
    }

    private static String userKey(String username) {
        return "u:" + username.strip().toLowerCase(Locale.ROOT);
    }

    private static String ipKey(String ip) {
        return "ip:" + ip;
    }
}
