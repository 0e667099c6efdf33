package io.modelmaestro.upstream;

import java.util.Map;

/**
 * One HTTP call to a node. {@code nodeName} is for messages; URLs and headers (which carry credentials) never go into
 * an error a client sees.
 */
public record UpstreamRequest(String method, String url, Map<String, String> headers, byte[] body, String nodeName) {
    public UpstreamRequest {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "UpstreamRequest[" + method + " node=" + nodeName + "]";
    }
}
