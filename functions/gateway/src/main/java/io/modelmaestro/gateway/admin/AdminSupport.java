package io.modelmaestro.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.modelmaestro.admin.AdminActor;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.json.Json;
import io.modelmaestro.json.MalformedJsonException;
import org.jspecify.annotations.Nullable;

/** Shared bits of the admin controllers: body parsing with 400s, and the actor for the audit log. */
final class AdminSupport {

    private AdminSupport() {}

    static JsonNode body(byte @Nullable [] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new GatewayException.InvalidRequest("Request body is required", null);
        }
        try {
            return Json.parse(bytes);
        } catch (MalformedJsonException e) {
            throw new GatewayException.InvalidRequest(String.valueOf(e.getMessage()), null);
        }
    }

    static AdminActor actor(HttpRequest<?> request, Authentication auth) {
        String ip = request.getRemoteAddress().getAddress() == null
                ? null
                : request.getRemoteAddress().getAddress().getHostAddress();
        return new AdminActor(auth.getName(), ip);
    }
}
