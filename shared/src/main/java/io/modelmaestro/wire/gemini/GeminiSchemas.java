package io.modelmaestro.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's {@code Schema} (an OpenAPI 3.0 subset with upper-case type names, as the SDKs send it: {@code "STRING"},
 * {@code "OBJECT"}) → JSON Schema as OpenAI, Anthropic and Ollama accept it:
 *
 * <ul>
 *   <li>type names lower case; {@code TYPE_UNSPECIFIED} dropped; {@code nullable: true} becomes a {@code "null"} member
 *       of {@code type};
 *   <li>the proto {@code int64} counts that arrive as strings ({@code "minItems": "1"}) become numbers;
 *   <li>Gemini-only keywords ({@code propertyOrdering}) dropped;
 *   <li>the values of {@code enum}, {@code default}, {@code example} and {@code const} are left as they are;
 *   <li>a root without a type is {@code {"type":"object","properties":{},"required":[]}}'s shape: type {@code object}
 *       and empty {@code properties} added;
 *   <li>nesting deeper than 100 levels is cut (Jackson trees have no cycles).
 * </ul>
 */
public final class GeminiSchemas {

    static final int MAX_DEPTH = 100;

    private static final Set<String> COUNTS =
            Set.of("minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties");
    private static final Set<String> DROPPED = Set.of("propertyOrdering", "property_ordering");
    private static final Set<String> VERBATIM = Set.of("enum", "default", "example", "const", "examples");
    private static final Map<String, String> SNAKE = Map.of(
            "any_of", "anyOf",
            "min_items", "minItems",
            "max_items", "maxItems",
            "min_length", "minLength",
            "max_length", "maxLength",
            "min_properties", "minProperties",
            "max_properties", "maxProperties");

    private GeminiSchemas() {}

    /** A function's parameter schema or a response schema, normalised; a missing or empty one is an empty object. */
    public static ObjectNode toJsonSchema(@Nullable JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return emptyObject();
        }
        JsonNode out = normalise(schema, 0);
        ObjectNode root = out instanceof ObjectNode o ? o : Json.object();
        if (!root.has("type") && !root.has("anyOf") && !root.has("$ref")) {
            root.put("type", "object");
        }
        if ("object".equals(Json.text(root, "type")) && !root.has("properties")) {
            root.set("properties", Json.object());
        }
        return root;
    }

    static ObjectNode emptyObject() {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        schema.set("properties", Json.object());
        schema.set("required", Json.array());
        return schema;
    }

    private static JsonNode normalise(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            return Json.object();
        }
        if (node.isArray()) {
            ArrayNode out = Json.array();
            for (JsonNode item : node) {
                out.add(normalise(item, depth + 1));
            }
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = Json.object();
        boolean nullable = false;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = SNAKE.getOrDefault(e.getKey(), e.getKey());
            JsonNode value = e.getValue();
            if (DROPPED.contains(key)) {
                continue;
            }
            if (VERBATIM.contains(key)) {
                out.set(key, value);
            } else if (key.equals("type")) {
                JsonNode type = type(value);
                if (type != null) {
                    out.set("type", type);
                }
            } else if (key.equals("nullable")) {
                nullable = value.asBoolean(false);
            } else if (COUNTS.contains(key) && value.isTextual() && isInteger(value.asText())) {
                out.put(key, Long.parseLong(value.asText()));
            } else if (key.equals("properties") && value.isObject()) {
                ObjectNode props = out.putObject("properties");
                value.fields().forEachRemaining(p -> props.set(p.getKey(), normalise(p.getValue(), depth + 1)));
            } else if (value.isObject() || value.isArray()) {
                out.set(key, normalise(value, depth + 1));
            } else {
                out.set(key, value);
            }
        }
        if (nullable) {
            JsonNode type = out.get("type");
            if (type != null && type.isTextual()) {
                ArrayNode both = Json.array();
                both.add(type.asText());
                both.add("null");
                out.set("type", both);
            }
        }
        return out;
    }

    private static @Nullable JsonNode type(JsonNode value) {
        if (value.isTextual()) {
            String t = value.asText().toLowerCase(Locale.ROOT);
            return t.isEmpty() || t.equals("type_unspecified")
                    ? null
                    : Json.mapper().getNodeFactory().textNode(t);
        }
        if (value.isArray()) {
            ArrayNode out = Json.array();
            for (JsonNode t : value) {
                JsonNode n = type(t);
                if (n != null) {
                    out.add(n);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return null;
    }

    private static boolean isInteger(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
