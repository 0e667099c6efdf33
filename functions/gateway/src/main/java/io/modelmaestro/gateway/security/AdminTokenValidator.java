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

    public AdminTokenValidator(@Value("${maestro.admin-token}") String adminToken) {
        if (adminToken.length() < 16) {
            throw new IllegalStateException("ADMIN_TOKEN must be at least 16 characters");
        }
        this.expected = digest(adminToken);
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

    @Override
    public int getOrder() {
        return -100;
    }
}
