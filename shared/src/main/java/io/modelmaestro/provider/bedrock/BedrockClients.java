package io.modelmaestro.provider.bedrock;

import io.modelmaestro.catalog.AwsAuth;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.config.GatewayConfig;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.upstream.NetworkPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * One {@link BedrockRuntimeAsyncClient} per bedrock node (rebuilt when the node's URL, region or credentials change),
 * all sharing one AWS CRT HTTP client (ADR 0008). The node URL is the endpoint override, so the SDK talks to exactly
 * the address the admin saved and the {@link NetworkPolicy} checked; it is checked again before every call against
 * what the host resolves to now. The SDK never retries on its own: failover is the router's decision.
 */
@Singleton
public class BedrockClients {

    private final NetworkPolicy network;
    private final GatewayConfig config;
    private final Map<Long, Entry> runtime = new ConcurrentHashMap<>();
    private volatile @Nullable SdkAsyncHttpClient http;
    private volatile @Nullable DefaultCredentialsProvider defaultChain;

    public BedrockClients(NetworkPolicy network, GatewayConfig config) {
        this.network = network;
        this.config = config;
    }

    private record Key(String baseUrl, AwsAuth aws) {}

    private record Entry(Key key, BedrockRuntimeAsyncClient client) {}

    /** The runtime client of a node. */
    public BedrockRuntimeAsyncClient runtime(Node node) {
        AwsAuth aws = auth(node);
        Key key = new Key(node.baseUrl(), aws);
        Entry entry = runtime.compute(node.id(), (id, old) -> {
            if (old != null && old.key().equals(key)) {
                return old;
            }
            if (old != null) {
                old.client().close();
            }
            return new Entry(
                    key,
                    BedrockRuntimeAsyncClient.builder()
                            .httpClient(http())
                            .region(Region.of(aws.region()))
                            .endpointOverride(URI.create(node.baseUrl()))
                            .credentialsProvider(credentials(aws))
                            .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                            .build());
        });
        return entry.client();
    }

    /**
     * A control-plane client for discovery (sync, over the JDK's HTTP client; the caller closes it). Its endpoint is
     * {@code https://bedrock.{region}.amazonaws.com}, or the node URL when that is not Bedrock's own runtime endpoint
     * (a proxy, a VPC endpoint that serves both, a test fake).
     */
    public BedrockClient control(Node node) {
        AwsAuth aws = auth(node);
        var builder = BedrockClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.getUpstream().getConnectTimeout())
                        .socketTimeout(config.getUpstream().getResponseTimeout())
                        .build())
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()));
        if (!node.baseUrl().equals("https://bedrock-runtime." + aws.region() + ".amazonaws.com")) {
            builder.endpointOverride(URI.create(node.baseUrl()));
        }
        return builder.build();
    }

    /** Fails with an {@code UpstreamTimeout} (a connect failure) when the node's host now resolves somewhere denied. */
    public Mono<Void> checkEndpoint(Node node) {
        return Mono.<Void>fromRunnable(() -> {
                    String host = URI.create(node.baseUrl()).getHost();
                    Optional<String> denial;
                    try {
                        denial = host == null
                                ? Optional.of("no host")
                                : java.util.Arrays.stream(InetAddress.getAllByName(host))
                                        .map(network::denial)
                                        .flatMap(Optional::stream)
                                        .findFirst();
                    } catch (UnknownHostException e) {
                        denial = Optional.of("host " + host + " does not resolve");
                    }
                    if (denial.isPresent()) {
                        throw new GatewayException.UpstreamTimeout(
                                node.name(), "node " + node.name() + ": " + denial.get(), true, null);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    static AwsAuth auth(Node node) {
        AwsAuth aws = node.aws();
        return aws != null ? aws : new AwsAuth("us-east-1", null, null, null);
    }

    private AwsCredentialsProvider credentials(AwsAuth aws) {
        String key = aws.accessKeyId();
        String secret = aws.secretAccessKey();
        if (key != null && secret != null) {
            String token = aws.sessionToken();
            return StaticCredentialsProvider.create(
                    token == null
                            ? AwsBasicCredentials.create(key, secret)
                            : AwsSessionCredentials.create(key, secret, token));
        }
        DefaultCredentialsProvider chain = defaultChain;
        if (chain == null) {
            synchronized (this) {
                chain = defaultChain;
                if (chain == null) {
                    chain = DefaultCredentialsProvider.builder().build();
                    defaultChain = chain;
                }
            }
        }
        return chain;
    }

    private SdkAsyncHttpClient http() {
        SdkAsyncHttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = AwsCrtAsyncHttpClient.builder()
                            .connectionTimeout(config.getUpstream().getConnectTimeout())
                            .connectionMaxIdleTime(java.time.Duration.ofSeconds(60))
                            .maxConcurrency(config.getUpstream().getMaxConnections())
                            .build();
                    http = client;
                }
            }
        }
        return client;
    }

    @PreDestroy
    void close() {
        runtime.values().forEach(e -> e.client().close());
        runtime.clear();
        SdkAsyncHttpClient client = http;
        if (client != null) {
            client.close();
        }
        DefaultCredentialsProvider chain = defaultChain;
        if (chain != null) {
            chain.close();
        }
    }
}
