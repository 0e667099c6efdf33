package io.modelmaestro.auth;

import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.catalog.UserRecord;
import io.modelmaestro.crypto.ConstantTime;
import jakarta.inject.Singleton;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs after micronaut-security-jwt has checked the signature (HS256 only: the secret signature is pinned to that
 * algorithm, so {@code alg: none} and algorithm switching fail before this). Accepts a user token only if it is the
 * user's current one (constant-time {@code jti} comparison), the user is active, and the issuer and audience are ours.
 */
@Singleton
public class TokenRevocationValidator<T> implements GenericJwtClaimsValidator<T> {

    private final CatalogService catalog;

    public TokenRevocationValidator(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Override
    public boolean validate(Claims claims, @Nullable T request) {
        Object sub = claims.get("sub");
        Object jti = claims.get("jti");
        if (!(sub instanceof String username) || !(jti instanceof String tokenId)) {
            return false;
        }
        if (!TokenService.ISSUER.equals(claims.get("iss")) || !audienceOk(claims.get("aud"))) {
            return false;
        }
        UserRecord user = catalog.snapshot().user(username).orElse(null);
        return user != null && user.active() && ConstantTime.equals(user.tokenId(), tokenId);
    }

    private static boolean audienceOk(@Nullable Object aud) {
        if (aud instanceof String s) {
            return TokenService.AUDIENCE.equals(s);
        }
        if (aud instanceof List<?> list) {
            return list.contains(TokenService.AUDIENCE);
        }
        return false;
    }
}
