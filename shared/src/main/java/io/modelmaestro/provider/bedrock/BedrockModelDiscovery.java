package io.modelmaestro.provider.bedrock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.catalog.NodeType;
import io.modelmaestro.json.Json;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.FoundationModelSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;

/**
 * The models a bedrock node can serve, from Bedrock's control plane: {@code ListFoundationModels} (models with
 * on-demand throughput whose lifecycle is ACTIVE, text and embedding outputs) and {@code ListInferenceProfiles}
 * (ACTIVE profiles, e.g. {@code us.anthropic.claude-…}; paginated). Blocking: call it from a job thread, not an event
 * loop. The result is what {@code node_models} rows are made of (name, family, capabilities, details as JSON).
 */
@Singleton
public class BedrockModelDiscovery {

    private final BedrockClients clients;

    public BedrockModelDiscovery(BedrockClients clients) {
        this.clients = clients;
    }

    /**
     * One discovered model. {@code capabilities} uses the names of {@code node_models.capabilities} and Ollama's
     * {@code /api/show} ({@code completion}, {@code vision}, {@code embedding}); {@code details} is a JSON object.
     */
    public record DiscoveredModel(String name, @Nullable String family, List<String> capabilities, String details) {
        public DiscoveredModel {
            capabilities = List.copyOf(capabilities);
        }
    }

    /** Lists the node's models; Bedrock's errors are {@code GatewayException}s as for chat. */
    public List<DiscoveredModel> discover(Node node) {
        if (node.type() != NodeType.BEDROCK) {
            throw new IllegalArgumentException("not a bedrock node: " + node);
        }
        try (BedrockClient client = clients.control(node)) {
            Map<String, DiscoveredModel> out = new LinkedHashMap<>();
            Map<String, FoundationModelSummary> foundation = new LinkedHashMap<>();
            for (FoundationModelSummary m : client.listFoundationModels(r -> {}).modelSummaries()) {
                foundation.put(m.modelId(), m);
                if (usable(m)) {
                    out.put(m.modelId(), foundationModel(m));
                }
            }
            for (InferenceProfileSummary p : client.listInferenceProfilesPaginator(r -> r.maxResults(1000))
                    .inferenceProfileSummaries()) {
                if (!"ACTIVE".equals(p.statusAsString())) {
                    continue;
                }
                out.put(p.inferenceProfileId(), profile(p, foundation));
            }
            return List.copyOf(out.values());
        } catch (RuntimeException e) {
            throw BedrockErrors.map(e, node.name());
        }
    }

    private static boolean usable(FoundationModelSummary m) {
        boolean active =
                m.modelLifecycle() == null || "ACTIVE".equals(m.modelLifecycle().statusAsString());
        boolean onDemand = m.inferenceTypesSupportedAsStrings().contains("ON_DEMAND");
        boolean output = m.outputModalitiesAsStrings().contains("TEXT")
                || m.outputModalitiesAsStrings().contains("EMBEDDING");
        return active && onDemand && output;
    }

    private static DiscoveredModel foundationModel(FoundationModelSummary m) {
        ObjectNode details = Json.object();
        details.put("source", "foundation_model");
        details.put("model_name", m.modelName());
        details.put("provider", m.providerName());
        details.put("model_arn", m.modelArn());
        Boolean streaming = m.responseStreamingSupported();
        if (streaming != null) {
            details.put("response_streaming", streaming);
        }
        ArrayNode in = details.putArray("input_modalities");
        m.inputModalitiesAsStrings().forEach(in::add);
        ArrayNode outModes = details.putArray("output_modalities");
        m.outputModalitiesAsStrings().forEach(outModes::add);
        return new DiscoveredModel(
                m.modelId(),
                m.providerName() == null
                        ? familyOf(m.modelId())
                        : m.providerName().toLowerCase(Locale.ROOT),
                capabilities(m),
                Json.writeString(details));
    }

    private static List<String> capabilities(FoundationModelSummary m) {
        List<String> caps = new ArrayList<>();
        if (m.outputModalitiesAsStrings().contains("TEXT")) {
            caps.add("completion");
        }
        if (m.outputModalitiesAsStrings().contains("EMBEDDING")) {
            caps.add("embedding");
        }
        if (m.inputModalitiesAsStrings().contains("IMAGE")) {
            caps.add("vision");
        }
        return caps;
    }

    private static DiscoveredModel profile(InferenceProfileSummary p, Map<String, FoundationModelSummary> foundation) {
        ObjectNode details = Json.object();
        details.put("source", "inference_profile");
        details.put("inference_profile_id", p.inferenceProfileId());
        details.put("inference_profile_name", p.inferenceProfileName());
        details.put("type", p.typeAsString());
        ArrayNode ids = details.putArray("foundation_model_ids");
        List<String> caps = new ArrayList<>();
        for (InferenceProfileModel model : p.models()) {
            String arn = model.modelArn();
            if (arn == null) {
                continue;
            }
            int slash = arn.indexOf("foundation-model/");
            String id = slash < 0 ? arn : arn.substring(slash + "foundation-model/".length());
            ids.add(id);
            FoundationModelSummary f = foundation.get(id);
            if (f != null && caps.isEmpty()) {
                caps.addAll(capabilities(f));
            }
        }
        if (caps.isEmpty()) {
            caps.add("completion");
        }
        return new DiscoveredModel(
                p.inferenceProfileId(), familyOf(p.inferenceProfileId()), caps, Json.writeString(details));
    }

    /** {@code us.anthropic.claude-…} → anthropic; {@code amazon.nova-lite-v1:0} → amazon. */
    static @Nullable String familyOf(String id) {
        String[] parts = id.split("\\.");
        if (parts.length >= 3 && parts[0].matches("[a-z]{2}|apac|global|us-gov")) {
            return parts[1];
        }
        return parts.length >= 2 ? parts[0] : null;
    }
}
