package io.modelmaestro.gateway.admin;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.admin.AccessAdmin;
import io.modelmaestro.admin.LimitAdmin;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

/**
 * {@code /admin/users/{username}/models|nodes}: the per-user allowlists (seed paths: {@code /models}, {@code
 * /models/all}, {@code /nodes}, {@code /nodes/all}, {@code DELETE /nodes}, {@code /nodes/{id}/models}).
 */
@Controller("/admin/users/{username}")
@Tag(name = "Admin: users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminAccessController {

    private final AccessAdmin access;
    private final LimitAdmin limits;

    public AdminAccessController(AccessAdmin access, LimitAdmin limits) {
        this.access = access;
        this.limits = limits;
    }

    @Get("/limits")
    LimitAdmin.LimitsView limits(String username) {
        return limits.get(username);
    }

    @Put(uri = "/limits", consumes = MediaType.ALL)
    LimitAdmin.LimitsView setLimits(
            HttpRequest<?> request, String username, @Body byte @Nullable [] body, Authentication auth) {
        return limits.set(username, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    /** The original product's verb for setting limits (same as {@code PUT}). */
    @Post(uri = "/limits", consumes = MediaType.ALL)
    LimitAdmin.LimitsView postLimits(
            HttpRequest<?> request, String username, @Body byte @Nullable [] body, Authentication auth) {
        return limits.set(username, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Delete("/limits")
    HttpResponse<?> removeLimits(HttpRequest<?> request, String username, Authentication auth) {
        limits.remove(username, AdminSupport.actor(request, auth));
        return HttpResponse.noContent();
    }

    @Get("/models")
    AccessAdmin.ModelsView models(String username) {
        return access.models(username);
    }

    @Post(uri = "/models", consumes = MediaType.ALL)
    AccessAdmin.ModelsView setModels(
            HttpRequest<?> request, String username, @Body byte @Nullable [] body, Authentication auth) {
        return access.setModels(username, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Post(uri = "/models/all", consumes = MediaType.ALL)
    AccessAdmin.ModelsView grantAll(HttpRequest<?> request, String username, Authentication auth) {
        return access.grantAllModels(username, AdminSupport.actor(request, auth));
    }

    @Delete("/models/{+model}")
    AccessAdmin.ModelsView removeModel(
            HttpRequest<?> request, String username, @PathVariable("model") String model, Authentication auth) {
        return access.removeModel(username, model, AdminSupport.actor(request, auth));
    }

    @Get("/nodes")
    AccessAdmin.NodesView nodes(String username) {
        return access.nodes(username);
    }

    @Post(uri = "/nodes", consumes = MediaType.ALL)
    AccessAdmin.NodesView setNodes(
            HttpRequest<?> request, String username, @Body byte @Nullable [] body, Authentication auth) {
        return access.setNodes(username, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Post(uri = "/nodes/all", consumes = MediaType.ALL)
    AccessAdmin.NodesView allNodes(HttpRequest<?> request, String username, Authentication auth) {
        return access.clearNodes(username, AdminSupport.actor(request, auth));
    }

    @Delete("/nodes")
    AccessAdmin.NodesView clearNodes(HttpRequest<?> request, String username, Authentication auth) {
        return access.clearNodes(username, AdminSupport.actor(request, auth));
    }

    @Get("/nodes/{nodeId}/models")
    AccessAdmin.NodeModelsView nodeModels(String username, long nodeId) {
        return access.nodeModels(username, nodeId);
    }

    @Post(uri = "/nodes/{nodeId}/models", consumes = MediaType.ALL)
    AccessAdmin.NodeModelsView setNodeModels(
            HttpRequest<?> request, String username, long nodeId, @Body byte @Nullable [] body, Authentication auth) {
        return access.setNodeModels(username, nodeId, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Post(uri = "/nodes/{nodeId}/models/all", consumes = MediaType.ALL)
    AccessAdmin.NodeModelsView allNodeModels(
            HttpRequest<?> request, String username, long nodeId, Authentication auth) {
        return access.grantAllNodeModels(username, nodeId, AdminSupport.actor(request, auth));
    }

    @Delete("/nodes/{nodeId}/models")
    AccessAdmin.NodeModelsView clearNodeModels(
            HttpRequest<?> request, String username, long nodeId, Authentication auth) {
        return access.clearNodeModels(username, nodeId, AdminSupport.actor(request, auth));
    }
}
