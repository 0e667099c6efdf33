package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.catalog.UserAccess;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.dialect.gemini.GeminiErrors;
import io.modelmaestro.json.Json;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1beta/models} and {@code GET /v1beta/models/{model}} in the Gemini API's shape: {@code
 * {"models":[{"name":"models/<id>","baseModelId","version","displayName","description","inputTokenLimit"?,
 * "supportedGenerationMethods":[...],"thinking"?}]}}. The same models as the OpenAI listing ({@link ModelListing}),
 * filtered by the caller's allowlists; one page, no {@code nextPageToken}.
 */
@Singleton
public class GeminiModels {

    static final List<String> METHODS = List.of("generateContent", "streamGenerateContent", "countTokens");

    private final ModelListing listing;

    public GeminiModels(ModelListing listing) {
        this.listing = listing;
    }

    public Mono<OutboundResponse> list(UserAccess access) {
        return listing.list(access).map(models -> {
            ObjectNode body = Json.object();
            ArrayNode data = body.putArray("models");
            models.forEach(m -> data.add(render(m)));
            return OutboundResponse.json(200, Json.write(body));
        });
    }

    /** One model by its id ({@code models/} prefix optional); 404 in Google's format when the caller has none such. */
    public Mono<OutboundResponse> get(UserAccess access, String name) {
        String id = name.startsWith("models/") ? name.substring(7) : name;
        return listing.list(access)
                .map(models -> models.stream()
                        .filter(m -> m.id().equals(id))
                        .findFirst()
                        .map(m -> OutboundResponse.json(200, Json.write(render(m))))
                        .orElseGet(() -> {
                            GatewayException e = new GatewayException.NotFound(
                                    "models/" + id + " is not found for API version v1beta, or is not supported for"
                                            + " generateContent.");
                            return OutboundResponse.json(GeminiErrors.status(e), GeminiErrors.body(e));
                        }));
    }

    static ObjectNode render(ModelListing.ListedModel m) {
        ObjectNode o = Json.object();
        o.put("name", "models/" + m.id());
        o.put("baseModelId", m.id());
        o.put("version", "001");
        o.put("displayName", m.id());
        o.put("description", m.id() + " served by Model Maestro");
        if (m.contextLength() != null) {
            o.put("inputTokenLimit", m.contextLength());
        }
        ArrayNode methods = o.putArray("supportedGenerationMethods");
        METHODS.forEach(methods::add);
        boolean thinking = m.capabilities().stream()
                .map(c -> c.toLowerCase(Locale.ROOT))
                .anyMatch(c -> c.equals("thinking") || c.equals("reasoning"));
        if (thinking) {
            o.put("thinking", true);
        }
        return o;
    }
}
