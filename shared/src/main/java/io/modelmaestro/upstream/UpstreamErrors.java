package io.modelmaestro.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmaestro.json.Json;
import java.nio.charset.StandardCharsets;

/** Pulls a human message out of an upstream error body, whatever dialect it speaks. */
public final class UpstreamErrors {
    private static final int MAX_MESSAGE = 500;

    private UpstreamErrors() {}

    public static String message(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        JsonNode node = Json.tryParse(body);
        String text = null;
        if (node != null && node.isObject()) {
            JsonNode error = node.get("error");
            if (error != null && error.isObject() && error.path("message").isTextual()) {
                text = error.get("message").asText();
            } else if (error != null && error.isTextual()) {
                text = error.asText();
            } else if (node.path("message").isTextual()) {
                text = node.get("message").asText();
            } else if (node.path("detail").isTextual()) {
                text = node.get("detail").asText();
            }
        }
        if (text == null) {
            text = new String(body, StandardCharsets.UTF_8);
        }
        text = text.strip().replaceAll("\\s+", " ");
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }
}
