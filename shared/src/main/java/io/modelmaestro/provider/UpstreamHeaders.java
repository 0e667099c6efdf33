package io.modelmaestro.provider;

import io.modelmaestro.catalog.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers for a call to a node: the node's configured extra headers, then its own credentials. The client's token is
 * never among them (it is stripped at the entry point, and nothing copies client headers here).
 */
public final class UpstreamHeaders {

    public static final String USER_AGENT = "model-maestro/0.1";

    private UpstreamHeaders() {}

    public static Map<String, String> bearer(Node node, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", accept);
        headers.put("user-agent", USER_AGENT);
        node.headers().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        String key = node.apiKey();
        if (key != null && !key.isBlank()) {
            headers.put("authorization", "Bearer " + key);
        }
        return headers;
    }
}
