package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.modelmaestro.pipeline.OutboundResponse;
import reactor.core.publisher.Flux;

/** Turns the pipeline's {@link OutboundResponse} into a Micronaut response; streams are flushed chunk by chunk. */
public final class Responses {

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
}
