package io.modelmaestro.provider.bedrock;

import io.modelmaestro.core.error.GatewayException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Bedrock's errors as {@link GatewayException}s (docs/providers/bedrock.md, "Errors"), so the router decides on
 * failover and every client dialect renders them in its own format. Messages name the node and Bedrock's error code;
 * ARNs and access key ids in AWS's messages are masked (they name the account and the role).
 */
final class BedrockErrors {

    private static final Pattern ARN = Pattern.compile("arn:aws[a-zA-Z-]*:[^\\s,;\"']+");
    private static final Pattern ACCESS_KEY = Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{12,}\\b");
    private static final Pattern ACCOUNT = Pattern.compile("\\b\\d{12}\\b");
    private static final int MAX_MESSAGE = 400;

    private BedrockErrors() {}

    static GatewayException map(Throwable error, String node) {
        Throwable e = unwrap(error);
        if (e instanceof GatewayException ge) {
            return ge;
        }
        if (e instanceof AwsServiceException aws) {
            return service(aws, node);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new GatewayException.UpstreamTimeout(
                    node, "node " + node + ": Bedrock did not answer in time", false, null);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SdkClientException
                && message.toLowerCase(java.util.Locale.ROOT).contains("credentials")) {
            // The node's own credentials are missing or unusable: another node may still serve the request.
            return new GatewayException.UpstreamError(
                    401, node, "node " + node + ": no usable AWS credentials (" + clean(message) + ")", 0);
        }
        return new GatewayException.UpstreamTimeout(
                node, "node " + node + ": connection to Bedrock failed (" + clean(message) + ")", true, null);
    }

    private static GatewayException service(AwsServiceException e, String node) {
        String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode()
                : e.getClass().getSimpleName();
        String detail = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage()
                : "";
        String message = "node " + node + ": Bedrock " + code + (detail.isBlank() ? "" : ": " + clean(detail));
        return switch (e) {
            case ThrottlingException t -> new GatewayException.UpstreamError(429, node, message, 0);
            case ServiceQuotaExceededException q -> new GatewayException.UpstreamError(429, node, message, 0);
            case ValidationException v -> new GatewayException.UpstreamError(400, node, message, 0);
            case AccessDeniedException a -> new GatewayException.Forbidden(message);
            case ModelNotReadyException m -> new GatewayException.UpstreamError(503, node, message, 0);
            case ServiceUnavailableException s -> new GatewayException.UpstreamError(503, node, message, 0);
            case ModelTimeoutException t -> new GatewayException.UpstreamError(503, node, message, 0);
            case ResourceNotFoundException r -> new GatewayException.UpstreamError(404, node, message, 0);
            case InternalServerException i -> new GatewayException.UpstreamError(500, node, message, 0);
            case ModelStreamErrorException m -> new GatewayException.UpstreamError(502, node, message, 0);
            case ModelErrorException m -> new GatewayException.UpstreamError(502, node, message, 0);
            default -> new GatewayException.UpstreamError(e.statusCode() == 0 ? 502 : e.statusCode(), node, message, 0);
        };
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof SdkClientException && e.getCause() instanceof AwsServiceException aws) {
            return aws;
        }
        return e;
    }

    static String clean(String message) {
        String m = ARN.matcher(message).replaceAll("arn:…");
        m = ACCESS_KEY.matcher(m).replaceAll("…");
        m = ACCOUNT.matcher(m).replaceAll("…");
        m = m.strip().replaceAll("\\s+", " ");
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }
}
