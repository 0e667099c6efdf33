package io.modelmaestro.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.generator.claims.JwtClaimsSetAdapter;
import io.micronaut.security.token.validator.TokenValidator;
import io.modelmaestro.auth.TokenRevocationValidator;
import io.modelmaestro.auth.TokenService;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * Validates user tokens (HS256 JWTs issued by {@link TokenService}) and remembers the ones that passed.
 *
 * <p>Why: the JFR profile of the benchmark (docs/benchmarks/README.md) showed micronaut-security-jwt's reactive
 * validator at 28% of the gateway's CPU samples and 45% of its allocation: every request parsed the token, verified
 * the MAC, re-parsed the claims for each claims validator and built a new {@code Authentication}. A client sends the
 * same key on every request, so after the first full check the only things that can change are revocation (a rotated
 * token or a deactivated user) and expiry — and those are checked on every request, hit or miss, against the live
 * catalog. The full check (algorithm pinned to HS256, MAC, issuer, audience, {@code jti}, active user, {@code exp},
 * {@code nbf}) runs on a miss.
 *
 * <p>The cache is keyed by the SHA-256 of the token, so no lookup compares secret bytes directly; it is bounded and
 * cleared when full (a flood of distinct valid tokens only costs the full check again). Micronaut's own nimbus
 * validator is switched off in {@code application.yml}, so each token is validated by exactly one validator.
 */
@Singleton
public class UserTokenValidator implements TokenValidator<HttpRequest<?>> {

    static final int MAX_ENTRIES = 10_000;

    private final PinnedHs256Signature signature;
    private final TokenRevocationValidator<HttpRequest<?>> revocation;
    private final InstantSource clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** A token that passed the full check once. */
    private record Verified(
            JwtClaimsSetAdapter claims, @Nullable Instant expiresAt, Authentication authentication) {}

    public UserTokenValidator(
            PinnedHs256Signature signature, TokenRevocationValidator<HttpRequest<?>> revocation, InstantSource clock) {
        this.signature = signature;
        this.revocation = revocation;
        this.clock = clock;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        Authentication authentication = authenticate(token, request);
        return authentication == null ? Publishers.empty() : Publishers.just(authentication);
    }

    /** The authentication for a valid user token, or null. */
    @Nullable
    Authentication authenticate(String token, @Nullable HttpRequest<?> request) {
        String key = digest(token);
        Verified hit = verified.get(key);
        if (hit == null) {
            hit = verify(token);
            if (hit == null) {
                return null;
            }
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(key, hit);
        }
        Instant now = clock.instant();
        if (hit.expiresAt() != null && !now.isBefore(hit.expiresAt())) {
            verified.remove(key);
            return null;
        }
        // Revocation and the user's state are read from the live catalog on every request.
        if (!revocation.validate(hit.claims(), request)) {
            return null;
        }
        return hit.authentication();
    }

    private @Nullable Verified verify(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !signature.verify(jwt)) {
                return null;
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return null;
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if ((exp != null && !now.isBefore(exp.toInstant())) || (nbf != null && now.isBefore(nbf.toInstant()))) {
            return null;
        }
        String subject = claims.getSubject();
        if (subject == null) {
            return null;
        }
        List<String> roles;
        try {
            List<String> claimed = claims.getStringListClaim("roles");
            roles = claimed == null ? List.of() : List.copyOf(claimed);
        } catch (ParseException e) {
            return null;
        }
        // User tokens never carry the admin role, whatever their claims say.
        if (!roles.equals(List.of(TokenService.ROLE_USER))) {
            return null;
        }
        return new Verified(
                new JwtClaimsSetAdapter(claims),
                exp == null ? null : exp.toInstant(),
                Authentication.build(subject, roles, Map.copyOf(claims.toJSONObject())));
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * First, before {@link AdminTokenValidator}: a user call then stops here instead of also hashing its token for the
     * admin comparison (1.4 % of the request path's CPU samples, session 7). The order decides nothing else: the admin
     * token is no JWT, and a user token can never equal the admin token's digest.
     */
    @Override
    public int getOrder() {
        return -100;
    }
}
