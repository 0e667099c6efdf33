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
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code /admin/nodes}: CRUD and toggle. Credentials are write-only. */
@Controller("/admin/nodes")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminNodeController {

    private final NodeAdmin nodes;

    public AdminNodeController(NodeAdmin nodes) {
        this.nodes = nodes;
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

    /** The drag-and-drop reorder: {@code {"priorities": [{"id", "priority"}, ...]}}; answers the reordered list. */
    @Patch(uri = "/batch/priority", consumes = MediaType.ALL)
    List<NodeAdmin.NodeView> reorder(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return nodes.reorder(AdminSupport.body(body), AdminSupport.actor(request, auth));
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
}
