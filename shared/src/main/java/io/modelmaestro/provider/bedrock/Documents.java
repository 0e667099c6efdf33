package io.modelmaestro.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** JSON trees ↔ the AWS SDK's {@link Document} (tool schemas, tool inputs, additional model fields). */
final class Documents {

    private Documents() {}

    static Document fromJson(JsonNode node) {
        if (node.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), fromJson(e.getValue()));
            }
            return Document.fromMap(map);
        }
        if (node.isArray()) {
            List<Document> list = new ArrayList<>();
            node.forEach(item -> list.add(fromJson(item)));
            return Document.fromList(list);
        }
        if (node.isTextual()) {
            return Document.fromString(node.asText());
        }
        if (node.isBoolean()) {
            return Document.fromBoolean(node.asBoolean());
        }
        if (node.isIntegralNumber()) {
            return Document.fromNumber(SdkNumber.fromBigInteger(node.bigIntegerValue()));
        }
        if (node.isNumber()) {
            return Document.fromNumber(SdkNumber.fromBigDecimal(node.decimalValue()));
        }
        return Document.fromNull();
    }

    /** The tool arguments text of a tool call as a document; malformed or non-object arguments become {}. */
    static Document objectFromText(String json) {
        JsonNode node = json.isBlank() ? null : Json.tryParse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return fromJson(node != null && node.isObject() ? node : JsonNodeFactory.instance.objectNode());
    }

    static JsonNode toJson(@Nullable Document doc) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (doc == null || doc.isNull()) {
            return f.nullNode();
        }
        if (doc.isMap()) {
            ObjectNode out = f.objectNode();
            doc.asMap().forEach((k, v) -> out.set(k, toJson(v)));
            return out;
        }
        if (doc.isList()) {
            ArrayNode out = f.arrayNode();
            doc.asList().forEach(v -> out.add(toJson(v)));
            return out;
        }
        if (doc.isString()) {
            return f.textNode(doc.asString());
        }
        if (doc.isBoolean()) {
            return f.booleanNode(doc.asBoolean());
        }
        if (doc.isNumber()) {
            BigDecimal d = doc.asNumber().bigDecimalValue();
            try {
                return f.numberNode(d.toBigIntegerExact());
            } catch (ArithmeticException notIntegral) {
                return f.numberNode(d);
            }
        }
        return f.nullNode();
    }
}
