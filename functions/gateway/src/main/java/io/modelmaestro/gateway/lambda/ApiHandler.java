package io.modelmaestro.gateway.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.modelmaestro.activity.sqs.SendBeforeResponseEnds;
import io.modelmaestro.activity.sqs.SqsActivitySink;
import java.util.HashMap;
import java.util.Map;

/**
 * The API Lambda: API Gateway HTTP API events (payload 2.0) through the same controllers, security and routing core
 * as the Netty runtime, buffered (streaming clients use the Function URL of the streaming function, ADR 0013).
 * Handler: {@code io.modelmaestro.gateway.lambda.ApiHandler::handleRequest}. The application context is built once
 * per instance, during init — which SnapStart snapshots after {@link SnapStartPriming} has warmed it.
 */
public class ApiHandler extends APIGatewayV2HTTPEventFunction {

    /** The Lambda runtime's constructor: configuration from the environment and Secrets Manager. */
    public ApiHandler() {
        super();
        primeRoute();
    }

    /** A handler over a context configured by the caller (tests). */
    public ApiHandler(ApplicationContext context) {
        super(context);
    }

    /**
     * One unauthenticated request through the whole servlet adapter, router and JSON writer during init, so the
     * snapshot holds a warmed request path (AWS's "invoke priming"). {@code /health} reaches no upstream, no database
     * and leaves no activity row.
     */
    final void primeRoute() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath("/health")
                .withRawQueryString("")
                .withHeaders(Map.of("accept", "application/json", "host", "localhost"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("GET")
                                .withPath("/health")
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1")
                                .build())
                        .withRequestId("snapstart-priming")
                        .withStage("$default")
                        .build())
                .withIsBase64Encoded(false)
                .build();
        APIGatewayV2HTTPResponse response = handleRequest(event, new MockLambdaContext());
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("priming request GET /health answered " + response.getStatusCode());
        }
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        APIGatewayV2HTTPResponse response = super.handleRequest(withoutWildcardAccept(event), context);
        flushActivity();
        return response;
    }

    /**
     * Sends this invocation's activity event to SQS before the handler returns. Lambda freezes the process once the
     * handler has returned, and an instance may be reclaimed frozen, without shutdown hooks: an event still in the
     * producer's buffer (it lingers up to 200 ms to fill a call) would be lost. Costs one SQS call per invocation that
     * produced an event; invocations without one (admin, health) return at once.
     */
    void flushActivity() {
        getApplicationContext().findBean(SqsActivitySink.class).ifPresent(SendBeforeResponseEnds::sendNow);
    }

    /**
     * Drops an {@code Accept} that accepts anything ({@code *}{@code /*}, what curl and many SDKs send): the servlet
     * router behind this adapter otherwise prefers the catch-all {@code FallbackController} (which produces anything)
     * over the real route (which produces JSON) and answers 404; the Netty router does not. Without the header both
     * pick the real route, and "anything" is what the client asked for.
     */
    static APIGatewayV2HTTPEvent withoutWildcardAccept(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return event;
        }
        String accept = null;
        String key = null;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("accept")) {
                key = e.getKey();
                accept = e.getValue();
            }
        }
        if (key == null || accept == null || !onlyWildcards(accept)) {
            return event;
        }
        Map<String, String> copy = new HashMap<>(headers);
        copy.remove(key);
        event.setHeaders(copy);
        return event;
    }

    private static boolean onlyWildcards(String accept) {
        for (String part : accept.split(",")) {
            String type = part.split(";", 2)[0].strip();
            if (!type.equals("*/*") && !type.equals("*")) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return super.newApplicationContextBuilder()
                .properties(new AwsSettings(System::getenv).resolve())
                .eagerInitSingletons(true);
    }
}
