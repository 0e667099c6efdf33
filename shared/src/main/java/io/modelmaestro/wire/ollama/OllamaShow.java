package io.modelmaestro.wire.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/show} answers: an Ollama node's own answer with the mapping's capabilities and context length laid
 * over it, or an answer made up for a node that is not Ollama. Clients (Open WebUI, Continue, OpenClaw) read tool
 * support from {@code capabilities} and the context window from {@code model_info["<architecture>.context_length"]}.
 */
public final class OllamaShow {

    /** Capabilities assumed for a model of a node that is not Ollama when its mapping names none. */
    public static final List<String> DEFAULT_CAPABILITIES = List.of("completion", "tools");

    private OllamaShow() {}

    /**
     * Overrides what the mapping knows better. {@code capabilities} are the mapping's (in its vocabulary, translated
     * here: {@code reasoning} is Ollama's {@code thinking}, {@code code} has no Ollama counterpart); empty leaves the
     * node's list alone. A context length replaces every {@code *.context_length} of {@code model_info}, or adds
     * {@code <architecture>.context_length} when there is none.
     */
    public static ObjectNode enrich(ObjectNode show, @Nullable Integer contextLength, List<String> capabilities) {
        List<String> caps = capabilities(capabilities);
        if (!caps.isEmpty()) {
            ArrayNode out = show.putArray("capabilities");
            caps.forEach(out::add);
        }
        if (contextLength != null) {
            JsonNode info = show.get("model_info");
            ObjectNode modelInfo = info instanceof ObjectNode o ? o : show.putObject("model_info");
            boolean replaced = false;
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : modelInfo.properties()) {
                keys.add(e.getKey());
            }
            for (String key : keys) {
                if (key.endsWith(".context_length")) {
                    modelInfo.put(key, contextLength);
                    replaced = true;
                }
            }
            if (!replaced) {
                String arch = modelInfo.path("general.architecture").asText("");
                if (arch.isEmpty()) {
                    arch = "unknown";
                    modelInfo.put("general.architecture", arch);
                }
                modelInfo.put(arch + ".context_length", contextLength);
            }
        }
        return show;
    }

    /** An answer for a model of a node that does not speak Ollama: empty details, the mapping's facts, if any. */
    public static ObjectNode synthesize(String modifiedAt, @Nullable Integer contextLength, List<String> capabilities) {
        ObjectNode show = Json.object();
        show.put("license", "");
        show.put("modelfile", "");
        show.put("parameters", "");
        show.put("template", "");
        show.set("details", details());
        ObjectNode info = show.putObject("model_info");
        info.put("general.architecture", "unknown");
        List<String> caps = capabilities(capabilities);
        ArrayNode out = show.putArray("capabilities");
        (caps.isEmpty() ? DEFAULT_CAPABILITIES : caps).forEach(out::add);
        show.put("modified_at", modifiedAt);
        return enrich(show, contextLength, List.of());
    }

    /** Ollama's {@code details} object with nothing known. */
    public static ObjectNode details() {
        ObjectNode details = Json.object();
        details.put("parent_model", "");
        details.put("format", "");
        details.put("family", "");
        details.putNull("families");
        details.put("parameter_size", "");
        details.put("quantization_level", "");
        return details;
    }

    static List<String> capabilities(List<String> mapping) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : mapping) {
            switch (c) {
                case "completion", "tools", "thinking", "vision", "embedding", "insert" -> out.add(c);
                case "reasoning" -> out.add("thinking");
                default -> {}
            }
        }
        return List.copyOf(out);
    }
}
