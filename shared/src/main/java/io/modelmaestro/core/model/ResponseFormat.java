package io.modelmaestro.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Structured-output requests. */
public sealed interface ResponseFormat {
    record Text() implements ResponseFormat {}

    record JsonObject() implements ResponseFormat {}

    record JsonSchema(
            String name, JsonNode schema, @Nullable Boolean strict) implements ResponseFormat {}
}
