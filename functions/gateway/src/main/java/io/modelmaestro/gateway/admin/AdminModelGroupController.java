package io.modelmaestro.gateway.admin;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import io.modelmaestro.admin.ModelGroupAdmin;
import org.jspecify.annotations.Nullable;

/** {@code /admin/model-groups}: groups and their members (docs/model-groups.md). Group names contain no '/'. */
@Controller("/admin/model-groups")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminModelGroupController {

    private final ModelGroupAdmin groups;

    public AdminModelGroupController(ModelGroupAdmin groups) {
        this.groups = groups;
    }

    @Get
    ModelGroupAdmin.GroupList list() {
        return groups.list();
    }

    @Post(consumes = MediaType.ALL)
    HttpResponse<ModelGroupAdmin.GroupView> create(
            HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return HttpResponse.status(HttpStatus.CREATED)
                .body(groups.create(AdminSupport.body(body), AdminSupport.actor(request, auth)));
    }

    @Get("/{name}")
    ModelGroupAdmin.GroupView get(@PathVariable("name") String name) {
        return groups.get(name);
    }

    @Put(uri = "/{name}", consumes = MediaType.ALL)
    ModelGroupAdmin.GroupView update(
            HttpRequest<?> request,
            @PathVariable("name") String name,
            @Body byte @Nullable [] body,
            Authentication auth) {
        return groups.update(name, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Delete("/{name}")
    HttpResponse<?> delete(HttpRequest<?> request, @PathVariable("name") String name, Authentication auth) {
        groups.delete(name, AdminSupport.actor(request, auth));
        return HttpResponse.noContent();
    }

    @Post(uri = "/{name}/members", consumes = MediaType.ALL)
    HttpResponse<ModelGroupAdmin.MemberView> addMember(
            HttpRequest<?> request,
            @PathVariable("name") String name,
            @Body byte @Nullable [] body,
            Authentication auth) {
        return HttpResponse.status(HttpStatus.CREATED)
                .body(groups.addMember(name, AdminSupport.body(body), AdminSupport.actor(request, auth)));
    }

    @Put(uri = "/{name}/members/{id}", consumes = MediaType.ALL)
    ModelGroupAdmin.MemberView updateMember(
            HttpRequest<?> request,
            @PathVariable("name") String name,
            @PathVariable("id") long id,
            @Body byte @Nullable [] body,
            Authentication auth) {
        return groups.updateMember(name, id, AdminSupport.body(body), AdminSupport.actor(request, auth));
    }

    @Delete("/{name}/members/{id}")
    HttpResponse<?> deleteMember(
            HttpRequest<?> request,
            @PathVariable("name") String name,
            @PathVariable("id") long id,
            Authentication auth) {
        groups.deleteMember(name, id, AdminSupport.actor(request, auth));
        return HttpResponse.noContent();
    }
}
