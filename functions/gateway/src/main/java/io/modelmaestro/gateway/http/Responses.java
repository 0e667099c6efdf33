package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.modelmaestro.pipeline.InboundRequest;
import io.modelmaestro.pipeline.OutboundResponse;
import java.util.UUID;
import reactor.core.publisher.Flux;

/** Turns the pipeline's {@link OutboundResponse} into a Micronaut response; streams are flushed chunk by chunk. */
public final class Responses {

    public static final String REQUEST_ID = "x-request-id";
    public static final String ANTHROPIC_REQUEST_ID = "request-id";

    private Responses() {}

    public static MutableHttpResponse<?> of(OutboundResponse out) {
        MutableHttpResponse<Object> response = HttpResponse.status(HttpStatus.valueOf(out.status()));
        Flux<byte[]> stream = out.stream();
        if (stream != null) {
            response.body(stream);
        } else if (out.body() != null) {
            response.body(out.body());
        }
        response.contentType(MediaType.of(out.contentType()));
        out.headers().forEach(response::header);
        return response;
    }

    /**
     * As {@link #of(OutboundResponse)}, with the request's id: the {@code request_id} of its activity row, which the
     * admin site's activity filter finds. OpenAI SDKs read it from {@code x-request-id}, Anthropic SDKs from
     * {@code request-id}; both are sent on the Anthropic routes.
     */
    public static MutableHttpResponse<?> of(OutboundResponse out, InboundRequest in) {
        return withRequestId(of(out), in.requestId(), in.path());
    }

    public static MutableHttpResponse<?> withRequestId(MutableHttpResponse<?> response, UUID id, String path) {
        String value = id.toString();
        response.header(REQUEST_ID, value);
        if (path.startsWith("/v1/messages") || path.startsWith("/claude/")) {
            response.header(ANTHROPIC_REQUEST_ID, value);
        }
        return response;
    }
}
