package io.modelmaestro.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.catalog.UserAccess;
import io.modelmaestro.json.Json;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

/** {@code GET /v1/models} in OpenAI's shape, with {@code max_model_len} (Cursor shows context use from it). */
@Singleton
public class OpenAiModels {

    private final ModelListing listing;

    public OpenAiModels(ModelListing listing) {
        this.listing = listing;
    }

    public Mono<OutboundResponse> list(UserAccess access) {
        return listing.list(access).map(models -> {
            ObjectNode body = Json.object();
            body.put("object", "list");
            ArrayNode data = body.putArray("data");
            for (ModelListing.ListedModel m : models) {
                ObjectNode o = data.addObject();
                o.put("id", m.id());
                o.put("object", "model");
                o.put("created", 0);
                o.put("owned_by", "model-maestro");
                if (m.contextLength() != null) {
                    o.put("max_model_len", m.contextLength());
                }
            }
            return OutboundResponse.json(200, Json.write(body));
        });
    }
}
