package io.modelmaestro.gateway.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.crac.OrderedResource;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.json.Json;
import io.modelmaestro.upstream.UpstreamHttp;
import io.modelmaestro.wire.anthropic.AnthropicRequestDecoder;
import io.modelmaestro.wire.openai.OpenAiRequestDecoder;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart readiness (ADR 0013). Priming runs at start-up, i.e. inside the Lambda init phase that SnapStart
 * snapshots: the JSON codecs and wire decoders, the routing tables (the catalog, read from PostgreSQL) and the upstream
 * HTTP client's event loops are loaded before the snapshot, so the first request after a restore does not pay for them.
 * Priming never happens at checkpoint time: by then micronaut-crac's Hikari resource may have suspended the pool, and a
 * database read would wait forever.
 *
 * <p>Around the snapshot (CRaC hooks, fired by the Lambda Java runtime for the API and consumer functions): before,
 * nothing of ours needs closing (micronaut-crac suspends and empties the Hikari pool; upstream connections are
 * per-request); after restore, the shared {@link RandomGenerator} is re-seeded from fresh entropy (every instance
 * restored from one snapshot would otherwise draw the same weighted-routing sequence) and the catalog is re-read, in
 * the background, because the snapshot may be days old. The credentials were read at init and stay in memory; the
 * snapshot is encrypted by Lambda, and nothing unique per instance (ids, seeds, tokens) is generated before it.
 */
@Singleton
@Requires(property = "maestro.snapstart.enabled", value = "true", defaultValue = "true")
public class SnapStartPriming implements OrderedResource, ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

    private static final String SAMPLE_OPENAI =
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"max_tokens\":1}";
    private static final String SAMPLE_ANTHROPIC =
            "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final CatalogService catalog;
    private final UpstreamHttp upstream;
    private final RandomGenerator random;
    private final boolean prime;
    private volatile int restores;
    private volatile boolean primed;

    public SnapStartPriming(
            CatalogService catalog,
            UpstreamHttp upstream,
            RandomGenerator random,
            @Value("${maestro.snapstart.prime:false}") boolean prime) {
        this.catalog = catalog;
        this.upstream = upstream;
        this.random = random;
        this.prime = prime;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (prime) {
            prime();
        }
    }

    /** Loads the codecs, the routing tables and the HTTP client. Idempotent. */
    public void prime() {
        long start = System.nanoTime();
        OpenAiRequestDecoder.decode((ObjectNode) Json.parse(SAMPLE_OPENAI));
        AnthropicRequestDecoder.decode((ObjectNode) Json.parse(SAMPLE_ANTHROPIC));
        Json.writeString(Json.parse(SAMPLE_OPENAI));
        catalog.refresh();
        upstream.warmUp(Duration.ofSeconds(10));
        primed = true;
        LOG.info("primed for the snapshot in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    public boolean primed() {
        return primed;
    }

    /** How many restores this instance has seen (a test observes the hook). */
    public int restores() {
        return restores;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        LOG.info("before checkpoint (primed: {})", primed);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        reseed();
        restores++;
        Thread.ofVirtual().name("catalog-after-restore").start(() -> {
            try {
                catalog.refresh();
            } catch (RuntimeException e) {
                LOG.warn("catalog refresh after restore failed; the scheduled refresh retries: {}", e.getMessage());
            }
        });
    }

    /** Re-seeds the shared generator from fresh entropy (SecureRandom.setSeed adds to, never replaces, its state). */
    void reseed() {
        if (random instanceof SecureRandom secure) {
            secure.setSeed(SecureRandom.getSeed(32));
        }
    }

    @Override
    public int getOrder() {
        // After the data sources: the catalog refresh above may need a resumed pool (it runs in the background).
        return 100;
    }
}
