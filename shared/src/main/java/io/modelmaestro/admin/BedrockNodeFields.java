package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.crypto.SecretCipher;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The admin fields of a {@code bedrock} node (docs/providers/bedrock.md): {@code aws_region} (also {@code region}, as
 * in the original product), an optional {@code base_url} (the endpoint override; derived from the region when omitted)
 * and write-only credentials {@code aws_access_key_id}, {@code aws_secret_access_key}, {@code aws_session_token},
 * stored encrypted. Without credentials the provider uses the AWS default credentials chain.
 */
final class BedrockNodeFields {

    static final String ACCESS_KEY = "aws_access_key_id";
    static final String SECRET_KEY = "aws_secret_access_key";
    static final String SESSION_TOKEN = "aws_session_token";
    static final String REGION = "aws_region";

    private static final Pattern REGION_FORMAT = Pattern.compile("^[a-z]{2}(-[a-z]+)+-\\d{1,2}$");
    private static final Pattern RUNTIME_HOST =
            Pattern.compile("^bedrock-runtime(?:-fips)?\\.([a-z]{2}(?:-[a-z]+)+-\\d{1,2})\\.amazonaws\\.com$");
    private static final Pattern ACCESS_KEY_FORMAT = Pattern.compile("^[A-Z0-9]{16,128}$");

    private BedrockNodeFields() {}

    /** The credential ciphertexts and region to store. */
    record Stored(
            @Nullable String accessKeyEnc,
            @Nullable String secretKeyEnc,
            @Nullable String sessionTokenEnc,
            String region) {}

    /** The runtime endpoint of a region. */
    static String defaultBaseUrl(String region) {
        return "https://bedrock-runtime." + region + ".amazonaws.com";
    }

    /** The region named by the body, or the one in a {@code bedrock-runtime.{region}.amazonaws.com} URL, or null. */
    static @Nullable String region(JsonNode body, @Nullable String baseUrl) {
        String region = NodeAdmin.optionalText(body, REGION);
        String field = REGION;
        if (region == null) {
            region = NodeAdmin.optionalText(body, "region");
            field = "region";
        }
        if (region != null && !region.isBlank()) {
            String r = region.strip().toLowerCase(Locale.ROOT);
            if (!REGION_FORMAT.matcher(r).matches()) {
                throw FieldError.of(field, "must be an AWS region such as us-east-1");
            }
            return r;
        }
        if (baseUrl != null) {
            return regionOf(baseUrl);
        }
        return null;
    }

    static @Nullable String regionOf(String baseUrl) {
        try {
            String host = java.net.URI.create(baseUrl.strip()).getHost();
            if (host != null) {
                Matcher m = RUNTIME_HOST.matcher(host.toLowerCase(Locale.ROOT));
                if (m.matches()) {
                    return m.group(1);
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    static boolean touchesCredentials(JsonNode body) {
        return body.has(ACCESS_KEY) || body.has(SECRET_KEY) || body.has(SESSION_TOKEN);
    }

    /**
     * Validates and encrypts the credentials in {@code body}. The key id and the secret come together; a session
     * token needs both. Both null (or absent) means "use the default credentials chain".
     */
    static Stored credentials(JsonNode body, String region, SecretCipher cipher) {
        String accessKey = blankToNull(NodeAdmin.optionalText(body, ACCESS_KEY));
        String secret = blankToNull(NodeAdmin.optionalText(body, SECRET_KEY));
        String token = blankToNull(NodeAdmin.optionalText(body, SESSION_TOKEN));
        if ((accessKey == null) != (secret == null)) {
            throw FieldError.of(
                    accessKey == null ? ACCESS_KEY : SECRET_KEY,
                    "aws_access_key_id and aws_secret_access_key must be given together");
        }
        if (token != null && accessKey == null) {
            throw FieldError.of(SESSION_TOKEN, "needs aws_access_key_id and aws_secret_access_key");
        }
        if (accessKey != null && !ACCESS_KEY_FORMAT.matcher(accessKey.strip()).matches()) {
            throw FieldError.of(ACCESS_KEY, "must be an AWS access key id (upper-case letters and digits)");
        }
        if (secret != null && secret.matches(".*\\s.*")) {
            throw FieldError.of(SECRET_KEY, "must not contain whitespace");
        }
        return new Stored(
                cipher.encrypt(accessKey == null ? null : accessKey.strip()),
                cipher.encrypt(secret),
                cipher.encrypt(token == null ? null : token.strip()),
                region);
    }

    /** Fields that must not be set on a bedrock node. */
    static void rejectForeign(JsonNode body) {
        if (body.hasNonNull("api_key")) {
            throw FieldError.of("api_key", "bedrock nodes take aws_access_key_id and aws_secret_access_key");
        }
    }

    /** Fields that only bedrock nodes take. */
    static void rejectOnOtherTypes(JsonNode body) {
        for (String f : new String[] {ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, REGION}) {
            if (body.hasNonNull(f)) {
                throw FieldError.of(f, "is only accepted for bedrock nodes");
            }
        }
    }

    /** The audit copy of the body: credential values replaced by "set"/"cleared". */
    static void mask(ObjectNode copy) {
        for (String f : new String[] {ACCESS_KEY, SECRET_KEY, SESSION_TOKEN}) {
            if (copy.has(f)) {
                copy.put(f, copy.get(f).isNull() ? "cleared" : "set");
            }
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
