package io.modelmaestro.gateway.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * Accepts the static admin token ({@code ADMIN_TOKEN}) for the admin API. The comparison is constant-time over
 * SHA-256 digests (equal length whatever the input). The admin token is not a JWT, so it can never pass user-token
 * validation, and user tokens never carry the ADMIN role.
 */
@Singleton
public class AdminTokenValidator implements TokenValidator<HttpRequest<?>> {

    public static final String ROLE_ADMIN = "ADMIN";

    private final byte[] expected;

    public static final int MIN_LENGTH = 16;

    public AdminTokenValidator(@Value("${maestro.admin-token}") String adminToken) {
        this.expected = digest(checked(adminToken));
    }

    /**
     * The token when it is long enough; otherwise the start fails with a message naming the variable (never the
     * value). The runtimes' settings call this before Micronaut starts, so a short token stops the process at once
     * instead of answering every request with a 500.
     */
    public static String checked(String adminToken) {
        if (adminToken.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("ADMIN_TOKEN must be at least " + MIN_LENGTH + " characters");
        }
        return adminToken;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        if (MessageDigest.isEqual(expected, digest(token))) {
            return Publishers.just(Authentication.build("admin", List.of(ROLE_ADMIN), Map.of()));
        }
        return Publishers.empty();
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** After {@link UserTokenValidator}: the first validator that accepts ends the search, and user calls are many. */
    @Override
    public int getOrder() {
        return -50;
    }
}
