package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.persistence.UserEntity;
import io.modelmaestro.persistence.UserLimitEntity;
import io.modelmaestro.persistence.UserLimitRepository;
import io.modelmaestro.persistence.UserRepository;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A user's daily limits: {@code request_limit} and {@code token_limit}, null meaning unlimited. */
@Singleton
public class LimitAdmin {

    private final UserRepository users;
    private final UserLimitRepository limits;
    private final AuditService audit;
    private final CatalogService catalog;

    public LimitAdmin(UserRepository users, UserLimitRepository limits, AuditService audit, CatalogService catalog) {
        this.users = users;
        this.limits = limits;
        this.audit = audit;
        this.catalog = catalog;
    }

    public record LimitsView(
            String username,
            @Nullable Integer requestLimit,
            @Nullable Long tokenLimit,
            @Nullable Instant createdAt,
            @Nullable Instant updatedAt) {}

    public LimitsView get(String username) {
        UserEntity user = user(username);
        return view(user, limits.findByUserId(Objects.requireNonNull(user.id())).orElse(null));
    }

    /** Sets the fields present in the body; a field set to null removes that limit. */
    @Transactional
    public LimitsView set(String username, JsonNode body, AdminActor actor) {
        if (!body.isObject()) {
            throw new GatewayException.InvalidRequest("The request body must be a JSON object.", null);
        }
        UserEntity user = user(username);
        long userId = Objects.requireNonNull(user.id());
        UserLimitEntity existing = limits.findByUserId(userId).orElse(null);
        LimitsView before = view(user, existing);
        Integer requestLimit = body.has("request_limit")
                ? nonNegativeInt(body.get("request_limit"), "request_limit")
                : before.requestLimit();
        Long tokenLimit =
                body.has("token_limit") ? nonNegativeLong(body.get("token_limit"), "token_limit") : before.tokenLimit();
        UserLimitEntity saved = existing == null
                ? limits.save(new UserLimitEntity(null, userId, requestLimit, tokenLimit, null, null))
                : limits.update(new UserLimitEntity(
                        existing.id(), userId, requestLimit, tokenLimit, existing.createdAt(), existing.updatedAt()));
        LimitsView after = view(user, saved);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", before);
        details.put("after", after);
        audit.record("set_user_limits", "user", username, actor, details);
        catalog.refresh();
        return after;
    }

    private static LimitsView view(UserEntity user, @Nullable UserLimitEntity l) {
        return l == null
                ? new LimitsView(user.username(), null, null, null, null)
                : new LimitsView(user.username(), l.requestLimit(), l.tokenLimit(), l.createdAt(), l.updatedAt());
    }

    /** Removes the user's limits (unlimited from now on); 404 when the user has none. */
    @Transactional
    public void remove(String username, AdminActor actor) {
        UserEntity user = user(username);
        UserLimitEntity existing = limits.findByUserId(Objects.requireNonNull(user.id()))
                .orElseThrow(() -> new GatewayException.NotFound("User '" + username + "' has no limits to remove"));
        LimitsView before = view(user, existing);
        limits.delete(existing);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", before);
        details.put("after", view(user, null));
        audit.record("remove_user_limits", "user", username, actor, details);
        catalog.refresh();
    }

    private static @Nullable Integer nonNegativeInt(@Nullable JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw FieldError.of(field, "must be a non-negative integer or null");
        }
        return v.asInt();
    }

    private static @Nullable Long nonNegativeLong(@Nullable JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw FieldError.of(field, "must be a non-negative integer or null");
        }
        return v.asLong();
    }

    private UserEntity user(String username) {
        return users.findByUsername(username)
                .orElseThrow(() -> new GatewayException.NotFound("User not found: " + username));
    }
}
