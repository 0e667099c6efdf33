package io.modelmaestro.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Value;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * The only JWT signature the gateway knows: HMAC-SHA256 with {@code maestro.jwt-secret}, and nothing else.
 *
 * <p>Example failure this prevents: micronaut-security-jwt's configurable secret signature verifies any HMAC
 * algorithm the key can do, so a token re-signed with HS384 and the same secret was accepted (found by AuthTest).
 * Here the header's algorithm must be exactly HS256 before the MAC is even checked; {@code alg: none} never reaches
 * this (unsigned tokens are rejected by the validator before signatures are consulted).
 */
@Singleton
@Named("generator")
public class PinnedHs256Signature implements SignatureGeneratorConfiguration {

    private final MACSigner signer;
    private final MACVerifier verifier;

    public PinnedHs256Signature(@Value("${maestro.jwt-secret}") String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalStateException("JWT_SECRET_KEY must be at least 32 bytes for HS256");
        }
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("invalid JWT secret", e);
        }
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only the HS256 JWS algorithm is supported";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return JWSAlgorithm.HS256.equals(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        return JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) && jwt.verify(verifier);
    }

    @Override
    public SignedJWT sign(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(signer);
        return jwt;
    }
}
