package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.catalog.UserAccess;
import io.modelmaestro.json.Json;
import jakarta.inject.Singleton;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1/models} in Anthropic's shape, for Anthropic clients ({@code anthropic-version} header, or the {@code
 * /claude} prefix): {@code {"data":[{"type":"model","id","display_name","created_at","max_input_tokens"?}],
 * "has_more":false,"first_id","last_id"}}. The same models as the OpenAI listing ({@link ModelListing}).
 */
@Singleton
public class AnthropicModels {

    /** Models have no creation date here; Anthropic's clients require one. */
    static final String CREATED_AT = "2024-01-01T00:00:00Z";

    private final ModelListing listing;

    public AnthropicModels(ModelListing listing) {
        this.listing = listing;
    }

    public Mono<OutboundResponse> list(UserAccess access) {
        return listing.list(access).map(models -> OutboundResponse.json(200, Json.write(render(models))));
    }

    static ObjectNode render(List<ModelListing.ListedModel> models) {
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        for (ModelListing.ListedModel m : models) {
            ObjectNode o = data.addObject();
            o.put("type", "model");
            o.put("id", m.id());
            o.put("display_name", m.id());
            o.put("created_at", CREATED_AT);
            if (m.contextLength() != null) {
                o.put("max_input_tokens", m.contextLength());
            }
        }
        body.put("has_more", false);
        if (models.isEmpty()) {
            body.putNull("first_id");
            body.putNull("last_id");
        } else {
            body.put("first_id", models.get(0).id());
            body.put("last_id", models.get(models.size() - 1).id());
        }
        return body;
    }
}
