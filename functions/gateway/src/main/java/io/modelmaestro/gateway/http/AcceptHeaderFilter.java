package io.modelmaestro.gateway.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.annotation.PreMatching;

/**
 * Takes the client's {@code Accept} header out of route selection. Micronaut's router drops every route that does not
 * produce one of the accepted types (a JSON route answers {@code Accept: text/event-stream} with 406) and, among the
 * rest, prefers one that explicitly produces the first accepted type. None of the gateway's routes negotiates: each
 * answers in its one format (JSON; SSE when the request body asks for a stream; the admin site's files), like the
 * OpenAI, Anthropic and Ollama servers it stands in for, which ignore {@code Accept}. So the header is removed before
 * the route is matched, and every request reaches the same route whatever its {@code Accept} (none, {@code *}{@code
 * /*} from curl and fetch, {@code application/json}, {@code text/event-stream}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AcceptHeaderFilter {

    @RequestFilter
    @PreMatching
    void ignoreAccept(MutableHttpRequest<?> request) {
        request.getHeaders().remove(HttpHeaders.ACCEPT);
    }
}
