package io.modelmaestro.pipeline;

import io.modelmaestro.auth.Principal;
import java.util.Map;
import java.util.UUID;

/**
 * A request as the pipeline sees it. {@code headers} have lower-case names and never include credentials (the entry
 * point strips {@code authorization} and {@code x-api-key} before building this).
 */
public record InboundRequest(
        String path, Map<String, String> headers, byte[] body, Principal principal, UUID requestId, String source) {
    public InboundRequest {
        headers = Map.copyOf(headers);
    }
}
