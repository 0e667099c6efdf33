package io.modelmaestro.gateway.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link HttpSurfaceContract} against the API Lambda's handler: every request is an API Gateway HTTP API (payload 2.0)
 * event built from a captured event's JSON, deserialised and the answer serialised by the Lambda runtime's own
 * serializers.
 */
class ApiHandlerHttpSurfaceTest extends HttpSurfaceContract {

    private ApiHandler handler;

    @Override
    void startRuntime(Map<String, Object> properties) {
        Map<String, Object> props = Gateway.properties();
        props.putAll(properties);
        handler = new ApiHandler(ApplicationContext.builder().properties(props).build());
    }

    ApiHandler handler() {
        return handler;
    }

    @Override
    void stopRuntime() {
        handler.close();
    }

    @Override
    Response call(String method, String path, Map<String, String> headers, String body) {
        ObjectNode event = (ObjectNode) Json.parse(LambdaEvents.resource("apigw-v2-http-event.json"));
        int q = path.indexOf('?');
        String rawPath = q < 0 ? path : path.substring(0, q);
        event.put("rawPath", rawPath);
        event.put("rawQueryString", q < 0 ? "" : path.substring(q + 1));
        ObjectNode http = (ObjectNode) event.at("/requestContext/http");
        http.put("method", method);
        http.put("path", rawPath);
        ObjectNode h = (ObjectNode) event.get("headers");
        headers.forEach(h::put);
        if (body != null) {
            event.put("body", body);
            h.put("content-length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
        }
        APIGatewayV2HTTPEvent in = LambdaEvents.fromJson(Json.writeString(event), APIGatewayV2HTTPEvent.class);

        APIGatewayV2HTTPResponse out = handler.handleRequest(in, new MockLambdaContext());

        JsonNode wire = Json.parse(LambdaEvents.toJson(out, APIGatewayV2HTTPResponse.class));
        Map<String, String> responseHeaders = new HashMap<>();
        wire.path("headers")
                .properties()
                .forEach(e -> responseHeaders.put(
                        e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        wire.path("multiValueHeaders")
                .properties()
                .forEach(e -> responseHeaders.putIfAbsent(
                        e.getKey().toLowerCase(Locale.ROOT),
                        e.getValue().path(0).asText()));
        String text = wire.path("body").asText("");
        if (wire.path("isBase64Encoded").asBoolean(false)) {
            text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        }
        return new Response(wire.get("statusCode").asInt(), responseHeaders, text);
    }
}
