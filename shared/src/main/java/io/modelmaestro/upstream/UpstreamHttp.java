package io.modelmaestro.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Context;
import io.modelmaestro.config.GatewayConfig;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.json.Json;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.ReadTimeoutException;
import jakarta.annotation.PreDestroy;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The one HTTP client for upstream nodes (reactor-netty; ADR 0002). It streams: body chunks are handed on as they
 * arrive, with backpressure, and cancelling the returned {@code Flux} closes the upstream connection, so a client that
 * goes away stops the generation it started.
 */
@Context
public class UpstreamHttp {

    /** An error body longer than this is cut: it only feeds a message. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /** {@code Retry-After} delta-seconds (RFC 9110 §10.2.3), also accepting a fraction as some upstreams send one. */
    private static final Pattern DELTA_SECONDS = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private final ConnectionProvider pool;
    private final HttpClient client;

    /** Upstream URLs parsed once (see {@link UriCache}). */
    private final UriCache uris = new UriCache();

    public UpstreamHttp(GatewayConfig config, NetworkPolicy policy, @Nullable UpstreamEventLoops loops) {
        GatewayConfig.Upstream u = config.getUpstream();
        this.pool = ConnectionProvider.builder("maestro-upstream")
                .maxConnections(u.getMaxConnections())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(u.getConnectTimeout().plusSeconds(5))
                .maxIdleTime(u.getMaxIdleTime())
                // Example failure this prevents: a NAT or load balancer silently dropping an idle kept-alive
                // connection, and the next request failing on it.
                .maxLifeTime(Duration.ofMinutes(10))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
        HttpClient base = HttpClient.create(pool);
        if (loops != null) {
            // Colocated: a connection opened from a server event loop is registered on that same loop.
            base = base.runOn(LoopResources.colocate(loops.group()));
        }
        this.client = base.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        u.getConnectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                // Time to the response headers and between two body reads: an idle timeout, not a total one.
                .responseTimeout(u.getIdleTimeout())
                .compress(false)
                .keepAlive(true)
                .followRedirect(false)
                // Checked on every new connection against the address actually connected to (DNS rebinding).
                .doOnConnected(connection -> {
                    if (connection.channel().remoteAddress() instanceof java.net.InetSocketAddress remote) {
                        policy.denial(remote.getAddress()).ifPresent(reason -> {
                            throw new ForbiddenUpstreamException(reason);
                        });
                    }
                });
    }

    /**
     * Loads what the first upstream call would otherwise load (event loops, the DNS resolver, the native transport
     * when there is one), e.g. before a SnapStart snapshot. Opens no connection.
     */
    public void warmUp(Duration timeout) {
        client.warmup().block(timeout);
    }

    /**
     * Sends {@code request} and emits the response as a {@link UpstreamPart.Head} followed by body chunks.
     * Transport failures are mapped to {@link GatewayException.UpstreamTimeout}.
     */
    public Flux<UpstreamPart> exchange(UpstreamRequest request) {
        HttpClient.RequestSender sender = client.headers(h -> {
                    request.headers().forEach(h::set);
                    h.set("content-length", request.body().length);
                })
                .request(HttpMethod.valueOf(request.method()));
        URI parsed = uris.get(request.url());
        return (parsed == null ? sender.uri(request.url()) : sender.uri(parsed))
                .send(ByteBufFlux.fromInbound(Mono.just(request.body())))
                .response((response, body) -> {
                    Map<String, String> headers = new HashMap<>();
                    response.responseHeaders()
                            .forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
                    UpstreamPart head = new UpstreamPart.Head(response.status().code(), headers);
                    return Flux.concat(Mono.just(head), body.asByteArray().map(UpstreamPart.Body::new));
                })
                .onErrorMap(e -> !(e instanceof GatewayException), e -> transportError(request.nodeName(), e));
    }

    /**
     * The body chunks of a 2xx answer as they arrive (backpressure and cancellation as in {@link #exchange}); an
     * error status becomes the matching {@link GatewayException.UpstreamError} before any chunk.
     */
    public Flux<byte[]> streamBody(UpstreamRequest request) {
        return exchange(request).switchOnFirst((signal, all) -> {
            UpstreamPart first = signal.get();
            if (first instanceof UpstreamPart.Head head) {
                if (!head.ok()) {
                    return errorFrom(head, all.skip(1), request.nodeName()).flatMapMany(Flux::error);
                }
                return all.skip(1).map(p -> ((UpstreamPart.Body) p).bytes());
            }
            return all.map(p -> new byte[0]);
        });
    }

    /** The whole body of a 2xx answer (possibly empty); an error status becomes an {@code UpstreamError}. */
    public Mono<byte[]> wholeBody(UpstreamRequest request) {
        return exchange(request).collectList().flatMap(parts -> {
            UpstreamPart.Head head = (UpstreamPart.Head) parts.get(0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 1; i < parts.size(); i++) {
                byte[] b = ((UpstreamPart.Body) parts.get(i)).bytes();
                out.write(b, 0, b.length);
            }
            byte[] bytes = out.toByteArray();
            if (!head.ok()) {
                return Mono.error(upstreamError(head, bytes, request.nodeName()));
            }
            return Mono.just(bytes);
        });
    }

    /** The whole 2xx body as a JSON object; a body that is not one is a 502 naming the node. */
    public Mono<JsonNode> jsonBody(UpstreamRequest request) {
        return wholeBody(request).flatMap(bytes -> {
            JsonNode json = Json.tryParse(bytes);
            if (json == null || !json.isObject()) {
                String node = request.nodeName();
                return Mono.error(new GatewayException.UpstreamError(
                        502, node, "node " + node + ": answered with a body that is not JSON", 0));
            }
            return Mono.just(json);
        });
    }

    /** Reads an error response's body (bounded) and builds the matching {@link GatewayException.UpstreamError}. */
    public static Mono<GatewayException> errorFrom(UpstreamPart.Head head, Flux<UpstreamPart> rest, String node) {
        return rest.ofType(UpstreamPart.Body.class)
                .reduce(new ByteArrayOutputStream(), (acc, b) -> {
                    if (acc.size() < MAX_ERROR_BODY) {
                        acc.write(b.bytes(), 0, Math.min(b.bytes().length, MAX_ERROR_BODY - acc.size()));
                    }
                    return acc;
                })
                .map(acc -> (GatewayException) upstreamError(head, acc.toByteArray(), node))
                .onErrorResume(e -> Mono.just(upstreamError(head, new byte[0], node)));
    }

    public static GatewayException.UpstreamError upstreamError(UpstreamPart.Head head, byte[] body, String node) {
        String detail = UpstreamErrors.message(body);
        String message = "node " + node + ": HTTP " + head.status() + (detail.isEmpty() ? "" : " (" + detail + ")");
        return new GatewayException.UpstreamError(
                head.status(), node, message, retryAfterMillis(head.headers().get("retry-after")));
    }

    static GatewayException transportError(String node, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ForbiddenUpstreamException) {
                return new GatewayException.UpstreamTimeout(
                        node, "node " + node + ": upstream address not allowed by the network policy", true, null);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ReadTimeoutException || root instanceof ConnectException) {
                break;
            }
            root = root.getCause();
        }
        if (e instanceof ReadTimeoutException
                || root instanceof ReadTimeoutException
                || e instanceof TimeoutException) {
            return new GatewayException.UpstreamTimeout(
                    node, "node " + node + ": timed out waiting for the upstream", false, null);
        }
        if (e instanceof ConnectTimeoutException || root instanceof ConnectTimeoutException) {
            return new GatewayException.UpstreamTimeout(node, "node " + node + ": connect timed out", true, null);
        }
        if (e instanceof ConnectException || root instanceof ConnectException || root instanceof UnknownHostException) {
            return new GatewayException.UpstreamTimeout(node, "node " + node + ": connection refused", true, null);
        }
        if (e instanceof PrematureCloseException || root instanceof ClosedChannelException) {
            return new GatewayException.UpstreamTimeout(
                    node, "node " + node + ": connection closed by the upstream", true, null);
        }
        return new GatewayException.UpstreamTimeout(
                node, "node " + node + ": transport error (" + e.getClass().getSimpleName() + ")", true, null);
    }

    /** {@code Retry-After} as milliseconds: delta-seconds or an HTTP date; 0 when absent or unreadable. */
    static long retryAfterMillis(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.trim();
        // Digits only: Double.parseDouble alone would also take "Infinity", "NaN", "1e3", "5d" and hex floats.
        if (DELTA_SECONDS.matcher(v).matches()) {
            return (long) (Double.parseDouble(v) * 1000);
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(0, Duration.between(Instant.now(), at.toInstant()).toMillis());
        } catch (RuntimeException ignored) {
            return 0;
        }
    }

    /** The connection went to an address the {@link NetworkPolicy} forbids. */
    static final class ForbiddenUpstreamException extends RuntimeException {
        ForbiddenUpstreamException(String reason) {
            super(reason, null, false, false);
        }
    }

    @PreDestroy
    void close() {
        pool.dispose();
    }
}
