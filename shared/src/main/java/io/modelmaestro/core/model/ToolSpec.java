package io.modelmaestro.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** A function tool the model may call; {@code parameters} is its JSON Schema. */
public record ToolSpec(String name, @Nullable String description, JsonNode parameters) {}
