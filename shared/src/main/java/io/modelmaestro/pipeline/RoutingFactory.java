package io.modelmaestro.pipeline;

import io.micronaut.context.annotation.Factory;
import io.modelmaestro.config.GatewayConfig;
import io.modelmaestro.routing.GroupResolver;
import io.modelmaestro.routing.NodeHealth;
import io.modelmaestro.routing.NodeSelector;
import io.modelmaestro.routing.Router;
import jakarta.inject.Singleton;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/** Builds the router from configuration, with the injected clock and randomness. */
@Factory
public class RoutingFactory {

    @Singleton
    NodeHealth nodeHealth(GatewayConfig config, InstantSource clock) {
        return new NodeHealth(clock, config.getCooldown());
    }

    @Singleton
    GroupResolver groupResolver(RandomGenerator random) {
        return new GroupResolver(random);
    }

    @Singleton
    Router router(
            GatewayConfig config,
            NodeHealth health,
            InstantSource clock,
            RandomGenerator random,
            GroupResolver groups) {
        return new Router(
                NodeSelector.named(config.getSelectionStrategy(), random),
                health,
                clock,
                config.getMaxAttempts(),
                config.getFailoverBudget(),
                config.getMaxRetryAfter(),
                groups);
    }
}
