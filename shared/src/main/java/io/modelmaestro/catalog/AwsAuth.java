package io.modelmaestro.catalog;

import org.jspecify.annotations.Nullable;

/**
 * A Bedrock node's AWS settings as routing sees them: the region and, when the admin stored them, static credentials
 * (decrypted in memory only). Without an access key the provider uses the AWS SDK's default credentials chain (the
 * IAM role in Lambda, the environment, the profile). Never rendered by {@link #toString()}.
 */
public record AwsAuth(
        String region,
        @Nullable String accessKeyId,
        @Nullable String secretAccessKey,
        @Nullable String sessionToken) {

    /** Whether static credentials are stored (otherwise the default chain applies). */
    public boolean hasStaticCredentials() {
        return accessKeyId != null && secretAccessKey != null;
    }

    @Override
    public String toString() {
        return "AwsAuth[region=" + region + ", staticCredentials=" + hasStaticCredentials() + "]";
    }
}
