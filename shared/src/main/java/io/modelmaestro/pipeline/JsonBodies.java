package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.json.Json;
import io.modelmaestro.json.MalformedJsonException;

/** Request bodies as JSON objects: the size limit first, then one parse, with client-safe 400s. */
final class JsonBodies {

    private JsonBodies() {}

    static ObjectNode parseObject(byte[] bytes, long maxBytes) {
        if (bytes.length > maxBytes) {
            throw new GatewayException.PayloadTooLarge("Request body is larger than " + maxBytes + " bytes");
        }
        if (bytes.length == 0) {
            throw new GatewayException.InvalidRequest("Request body is required", null);
        }
        JsonNode node;
        try {
            node = Json.parse(bytes);
        } catch (MalformedJsonException e) {
            throw new GatewayException.InvalidRequest(
                    "We could not parse the JSON body of your request. " + e.getMessage(), null);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new GatewayException.InvalidRequest("The request body must be a JSON object.", null);
        }
        return object;
    }
}
