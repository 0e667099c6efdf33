package io.modelmaestro.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.admin.UserAdmin;
import io.modelmaestro.json.Json;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code /admin/users}: create (answers the token once), list, get, deactivate, reactivate, rotate the token. */
@Controller("/admin/users")
@Tag(name = "Admin: users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminUserController {

    private final UserAdmin users;

    public AdminUserController(UserAdmin users) {
        this.users = users;
    }

    @Post(consumes = MediaType.ALL)
    HttpResponse<UserAdmin.CreatedUser> create(
            HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        JsonNode json = AdminSupport.body(body);
        String username = json.isObject() ? Json.text(json, "username") : null;
        return HttpResponse.status(HttpStatus.CREATED).body(users.create(username, AdminSupport.actor(request, auth)));
    }

    @Get
    List<UserAdmin.UserView> list() {
        return users.list();
    }

    @Get("/{username}")
    UserAdmin.UserView get(String username) {
        return users.get(username);
    }

    @Put(uri = "/{username}/token", consumes = MediaType.ALL)
    UserAdmin.TokenView rotate(HttpRequest<?> request, String username, Authentication auth) {
        return users.rotateToken(username, AdminSupport.actor(request, auth));
    }

    @Post(uri = "/{username}/activate", consumes = MediaType.ALL)
    UserAdmin.UserView activate(HttpRequest<?> request, String username, Authentication auth) {
        return users.setActive(username, true, AdminSupport.actor(request, auth));
    }

    @Post(uri = "/{username}/deactivate", consumes = MediaType.ALL)
    UserAdmin.UserView deactivate(HttpRequest<?> request, String username, Authentication auth) {
        return users.setActive(username, false, AdminSupport.actor(request, auth));
    }

    /** Soft delete, as in the original product: the user is deactivated and its token stops working. */
    @Delete("/{username}")
    HttpResponse<?> delete(HttpRequest<?> request, String username, Authentication auth) {
        users.setActive(username, false, AdminSupport.actor(request, auth));
        return HttpResponse.noContent();
    }
}
