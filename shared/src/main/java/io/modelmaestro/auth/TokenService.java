package io.modelmaestro.auth;

import io.micronaut.security.token.jwt.generator.JwtTokenGenerator;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issues user tokens: HS256 JWTs (micronaut-security-jwt) with a random {@code jti}. Only the {@code jti} is stored
 * (as the user's {@code token_id}); issuing a new one for a user revokes the old one, because validation compares the
 * token's {@code jti} with the stored one. Tokens have no expiry, as in the original product: they are API keys.
 */
@Singleton
public class TokenService {

    public static final String ISSUER = "model-maestro";
    public static final String AUDIENCE = "llm-api";
    public static final String ROLE_USER = "USER";

    private final JwtTokenGenerator generator;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    public TokenService(JwtTokenGenerator generator, InstantSource clock) {
        this.generator = generator;
        this.clock = clock;
    }

    public record IssuedToken(String token, String tokenId) {}

    public IssuedToken issue(String username) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String jti = HexFormat.of().formatHex(id);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", username);
        claims.put("username", username);
        claims.put("jti", jti);
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("roles", List.of(ROLE_USER));
        String token = generator
                .generateToken(claims)
                .orElseThrow(() -> new IllegalStateException("JWT generation failed; is the signing secret set?"));
        return new IssuedToken(token, jti);
    }
}
