package io.modelmaestro.admin;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.persistence.NodeEntity;
import io.modelmaestro.persistence.NodeRepository;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** On an empty database, adds the Ollama at {@code OLLAMA_BASE_URL} as the first node (code {@code local}). */
@Singleton
@Requires(property = "maestro.seed.ollama-base-url")
public class Seeder {

    private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);

    private final NodeRepository nodes;
    private final CatalogService catalog;
    private final String ollamaBaseUrl;

    public Seeder(
            NodeRepository nodes,
            CatalogService catalog,
            @Value("${maestro.seed.ollama-base-url}") String ollamaBaseUrl) {
        this.nodes = nodes;
        this.catalog = catalog;
        this.ollamaBaseUrl = ollamaBaseUrl;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (nodes.count() > 0) {
            return;
        }
        String base =
                ollamaBaseUrl.endsWith("/") ? ollamaBaseUrl.substring(0, ollamaBaseUrl.length() - 1) : ollamaBaseUrl;
        nodes.save(new NodeEntity(
                null,
                "local-ollama",
                "local",
                "ollama",
                base,
                0,
                100,
                true,
                false,
                true,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                "unknown",
                null,
                null,
                null,
                null,
                null));
        LOG.info("empty database: added node 'local-ollama' (code 'local') at {}", base);
        catalog.refresh();
    }
}
