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
import io.modelmaestro.admin.MappingAdmin;
import io.modelmaestro.catalog.CatalogService;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /admin/model-mappings}. Display names may contain '/' and ':' (e.g. {@code qwen/coder:32b}), so the name is
 * matched as the rest of the path.
 */
@Controller("/admin/model-mappings")
@Tag(name = "Admin: model mappings")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminMappingController {

    private final MappingAdmin mappings;
    private final CatalogService catalog;

    public AdminMappingController(MappingAdmin mappings, CatalogService catalog) {
        this.mappings = mappings;
        this.catalog = catalog;
    }

    @Get
    List<MappingAdmin.MappingView> list() {
        return mappings.list();
    }

    @Post(consumes = MediaType.ALL)
    MappingAdmin.MappingView upsert(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return mappings.upsert(AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Post(uri = "/invalidate-cache", consumes = MediaType.ALL)
    Map<String, String> invalidate() {
        catalog.refresh();
        return Map.of("message", "Cache invalidated successfully");
    }

    @Get("/{+name}")
    MappingAdmin.MappingView get(@PathVariable("name") String name) {
        return mappings.get(name);
    }

    @Put(uri = "/{+name}", consumes = MediaType.ALL)
    MappingAdmin.MappingView update(
            HttpRequest<?> request,
            @PathVariable("name") String name,
            @Body byte @Nullable [] body,
            Authentication auth) {
        return mappings.update(name, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Delete("/{+name}")
    HttpResponse<?> delete(HttpRequest<?> request, @PathVariable("name") String name, Authentication auth) {
        mappings.delete(name, AdminSupport.actor(request, auth));
        return HttpResponse.noContent();
    }
}
