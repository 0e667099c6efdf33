package io.modelmaestro.gateway.admin;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.admin.NodeAdmin;
import io.modelmaestro.admin.PoolAdmin;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /admin/nodes}: CRUD and toggle (credentials are write-only), and the node pool: health, discovered models,
 * warmup (docs/node-pool.md).
 */
@Controller("/admin/nodes")
@Tag(name = "Admin: nodes")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminNodeController {

    private final NodeAdmin nodes;
    private final PoolAdmin pool;

    public AdminNodeController(NodeAdmin nodes, PoolAdmin pool) {
        this.nodes = nodes;
        this.pool = pool;
    }

    @Get
    List<NodeAdmin.NodeView> list() {
        return nodes.list();
    }

    @Get("/{id}")
    NodeAdmin.NodeView get(long id) {
        return nodes.get(id);
    }

    @Post(consumes = MediaType.ALL)
    HttpResponse<NodeAdmin.NodeView> create(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return HttpResponse.status(HttpStatus.CREATED)
                .body(nodes.create(AdminSupport.body(body), AdminSupport.actor(request, auth)));
    }

    @Put(uri = "/{id}", consumes = MediaType.ALL)
    NodeAdmin.NodeView update(HttpRequest<?> request, long id, @Body byte @Nullable [] body, Authentication auth) {
        return nodes.update(id, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Patch(uri = "/batch/priority", consumes = MediaType.ALL)
    @Operation(summary = "Set several nodes' priorities at once: {\"priorities\":[{\"id\":1,\"priority\":200}]}")
    List<NodeAdmin.NodeView> priorities(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return nodes.setPriorities(AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Patch(uri = "/{id}/toggle", consumes = MediaType.ALL)
    NodeAdmin.ToggleView toggle(HttpRequest<?> request, long id, Authentication auth) {
        return nodes.toggle(id, AdminSupport.actor(request, auth));
    }

    @Delete("/{id}")
    HttpResponse<?> delete(HttpRequest<?> request, long id, Authentication auth) {
        nodes.delete(id, AdminSupport.actor(request, auth));
        return HttpResponse.noContent();
    }

    @Get("/{id}/health")
    PoolAdmin.HealthView health(long id) {
        return pool.health(id);
    }

    @Post(uri = "/{id}/health-check", consumes = MediaType.ALL)
    Map<String, Object> healthCheck(HttpRequest<?> request, long id, Authentication auth) {
        return pool.checkNow(id, AdminSupport.actor(request, auth));
    }

    @Get("/{id}/models")
    List<PoolAdmin.ModelView> models(long id) {
        return pool.models(id);
    }

    @Post(uri = "/{id}/models/sync", consumes = MediaType.ALL)
    Object syncModels(HttpRequest<?> request, long id, Authentication auth) {
        return pool.sync(id, AdminSupport.actor(request, auth));
    }

    @Get("/{id}/warmup")
    PoolAdmin.WarmupView warmup(long id) {
        return pool.warmup(id);
    }

    @Patch(uri = "/{id}/warmup", consumes = MediaType.ALL)
    PoolAdmin.WarmupView updateWarmup(
            HttpRequest<?> request, long id, @Body byte @Nullable [] body, Authentication auth) {
        return pool.updateWarmup(id, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }
}
