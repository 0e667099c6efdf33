package io.modelmaestro.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.persistence.AdminAccountEntity;
import io.modelmaestro.persistence.AdminAccountRepository;
import io.modelmaestro.persistence.AdminSessionEntity;
import io.modelmaestro.persistence.AdminSessionRepository;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin sign-in for people (ADR 0012): one account per {@code maestro.admin.username}, whose Argon2id hash is set
 * from {@code maestro.admin.password} at start-up, and server-side sessions. A session id is 256 random bits, sent
 * to the browser once (the cookie) and stored only as its SHA-256; it ends after {@code idle-timeout} without use, at
 * {@code absolute-timeout} after sign-in, or on sign-out. Failed sign-ins are throttled per username and address.
 */
@Singleton
public class AdminSignIn {

    private static final Logger LOG = LoggerFactory.getLogger(AdminSignIn.class);
    private static final Pattern SESSION_ID = Pattern.compile("^[A-Za-z0-9_-]{43}$");
    /** A session's last-seen time is written at most this often (not on every request). */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final AdminAccountRepository accounts;
    private final AdminSessionRepository sessions;
    private final InstantSource clock;
    private final PasswordHasher hasher = new PasswordHasher();
    /** Session ids need a cryptographic generator whatever RandomGenerator bean a test installs. */
    private final SecureRandom random = new SecureRandom();

    private final String username;
    private final @Nullable String password;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final SignInThrottle throttle;
    /** Verified against when the username is unknown, so that case costs the same time as a wrong password. */
    private final String decoyHash;

    public AdminSignIn(
            AdminAccountRepository accounts,
            AdminSessionRepository sessions,
            InstantSource clock,
            @Value("${maestro.admin.username:admin}") String username,
            @Value("${maestro.admin.password:}") @Nullable String password,
            @Value("${maestro.admin.session.idle-timeout:2h}") Duration idleTimeout,
            @Value("${maestro.admin.session.absolute-timeout:8h}") Duration absoluteTimeout,
            @Value("${maestro.admin.sign-in.max-failures:5}") int maxFailures,
            @Value("${maestro.admin.sign-in.window:15m}") Duration window) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.clock = clock;
        this.username = username.strip();
        this.password = password == null || password.isEmpty() ? null : password;
        this.idleTimeout = idleTimeout;
        this.absoluteTimeout = absoluteTimeout;
        this.throttle = new SignInThrottle(clock, maxFailures, window);
        this.decoyHash = hasher.hash("decoy-" + random.nextLong());
    }

    /** A new session: the cookie value (shown once) and when it ends at the latest. */
    public record NewSession(String sessionId, String username, Instant expiresAt) {}

    /** The session a cookie names. */
    public record Current(String username, Instant expiresAt) {}

    /**
     * Creates or updates the configured account from {@code maestro.admin.password}. Changing the password there and
     * restarting replaces the hash and ends the account's sessions.
     */
    @EventListener
    void onStartup(StartupEvent event) {
        String pw = password;
        if (pw == null) {
            if (accounts.findByUsername(username).isEmpty()) {
                LOG.warn("no admin password configured (MAESTRO_ADMIN_PASSWORD): the admin site sign-in is disabled");
            }
            return;
        }
        if (pw.length() < 8) {
            throw new IllegalStateException("MAESTRO_ADMIN_PASSWORD must be at least 8 characters");
        }
        Optional<AdminAccountEntity> existing = accounts.findByUsername(username);
        if (existing.isEmpty()) {
            accounts.save(new AdminAccountEntity(null, username, hasher.hash(pw), null, null));
            LOG.info("admin account '{}' created", username);
        } else if (!hasher.verify(pw, existing.get().passwordHash())) {
            AdminAccountEntity a = existing.get();
            accounts.update(
                    new AdminAccountEntity(a.id(), a.username(), hasher.hash(pw), a.createdAt(), a.updatedAt()));
            sessions.deleteByAccountId(a.id() == null ? -1 : a.id());
            LOG.info("admin account '{}': password changed from the environment; its sessions were ended", username);
        }
    }

    /**
     * Checks the pair and opens a session. Throws {@link GatewayException.RateLimited} while the username or address
     * is throttled, {@link GatewayException.Unauthenticated} for a wrong pair (the same answer whichever part was
     * wrong).
     */
    public NewSession signIn(String user, String pw, @Nullable String ip, @Nullable String userAgent) {
        long wait = throttle.retryAfterSeconds(user, ip);
        if (wait > 0) {
            throw new GatewayException.RateLimited("Too many failed sign-ins; try again in " + wait + " seconds", wait);
        }
        Optional<AdminAccountEntity> account = user.length() > 255 ? Optional.empty() : accounts.findByUsername(user);
        boolean ok =
                hasher.verify(pw, account.map(AdminAccountEntity::passwordHash).orElse(decoyHash))
                        && account.isPresent();
        if (!ok) {
            throw failed(user, ip);
        }
        throttle.succeeded(user);
        AdminAccountEntity a = account.get();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Instant expires = now.plus(absoluteTimeout);
        sessions.save(new AdminSessionEntity(
                null,
                digest(id),
                a.id() == null ? -1 : a.id(),
                now,
                now,
                expires,
                ip,
                userAgent == null ? null : truncate(userAgent, 500)));
        LOG.info("admin '{}' signed in from {}", a.username(), ip);
        return new NewSession(id, a.username(), earliest(now.plus(idleTimeout), expires));
    }

    private GatewayException failed(String user, @Nullable String ip) {
        throttle.failed(user, ip);
        LOG.warn("failed admin sign-in for '{}' from {}", truncate(user, 64), ip);
        return new GatewayException.Unauthenticated("Invalid username or password");
    }

    /** The live session named by a cookie value, refreshing its idle timer; empty when unknown or expired. */
    public Optional<Current> lookup(String sessionId) {
        if (!SESSION_ID.matcher(sessionId).matches()) {
            return Optional.empty();
        }
        String hash = digest(sessionId);
        Optional<AdminSessionEntity> found = sessions.findBySessionHash(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AdminSessionEntity s = found.get();
        // The database found the row by its digest; compare again in constant time before trusting it.
        if (!MessageDigest.isEqual(
                s.sessionHash().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant idleEnd = s.lastSeenAt().plus(idleTimeout);
        if (!now.isBefore(s.expiresAt()) || !now.isBefore(idleEnd)) {
            sessions.deleteBySessionHash(hash);
            return Optional.empty();
        }
        Optional<AdminAccountEntity> account = accounts.findById(s.accountId());
        if (account.isEmpty()) {
            return Optional.empty();
        }
        if (Duration.between(s.lastSeenAt(), now).compareTo(TOUCH_EVERY) >= 0) {
            sessions.touch(s.id() == null ? -1 : s.id(), now);
            idleEnd = now.plus(idleTimeout);
        }
        return Optional.of(new Current(account.get().username(), earliest(idleEnd, s.expiresAt())));
    }

    /** Ends the session named by a cookie value (nothing happens for an unknown one). */
    public void signOut(String sessionId) {
        if (SESSION_ID.matcher(sessionId).matches()) {
            sessions.deleteBySessionHash(digest(sessionId));
        }
    }

    /** The longest a session may live, for the cookie's {@code Max-Age}. */
    public Duration absoluteTimeout() {
        return absoluteTimeout;
    }

    @Scheduled(fixedDelay = "15m", initialDelay = "1m")
    void purgeExpired() {
        Instant now = clock.instant();
        sessions.deleteExpired(now, now.minus(idleTimeout));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    static String digest(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
