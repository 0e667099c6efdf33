package io.modelmaestro.gateway.admin;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.admin.SettingsAdmin;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

/** {@code /admin/settings}: the typed runtime settings (docs/api.md lists the keys). */
@Controller("/admin/settings")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Admin: settings")
public class AdminSettingsController {

    private final SettingsAdmin settings;

    public AdminSettingsController(SettingsAdmin settings) {
        this.settings = settings;
    }

    @Get
    @Operation(summary = "Every known setting with its type, default, constraints and current value")
    SettingsAdmin.SettingsView list() {
        return settings.list();
    }

    @Get("/{key}")
    @Operation(summary = "One setting")
    SettingsAdmin.SettingView get(@PathVariable String key) {
        return settings.get(key);
    }

    @Put(consumes = MediaType.ALL)
    @Operation(
            summary = "Change settings: an object of keys to typed values; null resets a key to its default",
            requestBody =
                    @RequestBody(
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            examples =
                                                    @ExampleObject(
                                                            value =
                                                                    "{\"dashboard.default_days\": 14, \"ui.instance_name\": \"prod\"}"))))
    SettingsAdmin.SettingsView update(HttpRequest<?> request, @Body byte @Nullable [] body, Authentication auth) {
        return settings.update(AdminSupport.body(body), AdminSupport.actor(request, auth));
    }
}
