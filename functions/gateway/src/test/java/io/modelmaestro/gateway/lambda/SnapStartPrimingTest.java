package io.modelmaestro.gateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.order.OrderUtil;
import io.micronaut.crac.OrderedResource;
import io.micronaut.crac.test.DefaultCheckpointSimulator;
import io.modelmaestro.gateway.support.Gateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart readiness of the API function: primed during init, and still serving (database included) after the CRaC
 * checkpoint/restore hooks ran — micronaut-crac's simulator calls the same resources the Lambda runtime calls.
 */
class SnapStartPrimingTest {

    ApiHandlerHttpSurfaceTest api = new ApiHandlerHttpSurfaceTest();

    @AfterEach
    void stop() {
        api.stopRuntime();
    }

    @Test
    void primed_at_init_and_serving_after_a_checkpoint_and_restore() {
        api.startRuntime(Map.of("maestro.snapstart.prime", true, "micronaut.server.port", -1));
        ApplicationContext context = api.handler().getApplicationContext();
        SnapStartPriming priming = context.getBean(SnapStartPriming.class);
        assertThat(priming.primed()).isTrue();
        String auth = "Bearer " + Gateway.ADMIN_TOKEN;
        assertThat(api.call(
                                "POST",
                                "/admin/users",
                                Map.of("authorization", auth, "content-type", "application/json"),
                                "{\"username\":\"before\"}")
                        .status())
                .isEqualTo(201);

        // The resources the runtime's CRaC context would call (the Netty server's own is not part of this function).
        List<OrderedResource> resources = new ArrayList<>(context.getBeansOfType(OrderedResource.class).stream()
                .filter(r -> !r.getClass().getName().contains("Netty"))
                .toList());
        resources.sort(OrderUtil.COMPARATOR);
        assertThat(resources)
                .as(resources.toString())
                .anyMatch(r -> r.getClass().getName().contains("DataSource"));
        DefaultCheckpointSimulator simulator = new DefaultCheckpointSimulator(resources);
        simulator.runBeforeCheckpoint();
        simulator.runAfterRestore();

        assertThat(priming.restores()).isEqualTo(1);
        HttpSurfaceContract.Response after = api.call(
                "POST",
                "/admin/users",
                Map.of("authorization", auth, "content-type", "application/json"),
                "{\"username\":\"after\"}");
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        assertThat(api.call("GET", "/admin/users", Map.of("authorization", auth, "accept", "application/json"), null)
                        .json()
                        .findValuesAsText("username"))
                .contains("before", "after");
    }
}
