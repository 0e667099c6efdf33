package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
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
     * Names the request's activity row ({@code request_id}) on its answer: OpenAI SDKs read {@code x-request-id},
     * Anthropic SDKs {@code request-id}, which is sent too wherever the caller speaks Anthropic's format.
     */
    public static MutableHttpResponse<?> withRequestId(
            MutableHttpResponse<?> response, HttpRequest<?> request, UUID id) {
        String value = id.toString();
        response.header(REQUEST_ID, value);
        if (ErrorRenderer.speaksAnthropic(request)) {
            response.header(ANTHROPIC_REQUEST_ID, value);
        }
        return response;
    }
}
