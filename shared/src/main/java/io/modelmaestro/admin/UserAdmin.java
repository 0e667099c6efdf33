package io.modelmaestro.admin;

import io.micronaut.transaction.annotation.Transactional;
import io.modelmaestro.auth.TokenService;
import io.modelmaestro.catalog.CatalogService;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.persistence.UserEntity;
import io.modelmaestro.persistence.UserRepository;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Users and their tokens. A token is returned only by {@link #create} and {@link #rotateToken}. */
@Singleton
public class UserAdmin {

    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._@-]{1,255}$");

    private final UserRepository users;
    private final TokenService tokens;
    private final AuditService audit;
    private final CatalogService catalog;

    public UserAdmin(UserRepository users, TokenService tokens, AuditService audit, CatalogService catalog) {
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
        this.catalog = catalog;
    }

    public record UserView(
            long id,
            String username,
            boolean isActive,
            @Nullable Instant createdAt,
            @Nullable Instant updatedAt) {
        static UserView of(UserEntity e) {
            return new UserView(idOf(e), e.username(), e.isActive(), e.createdAt(), e.updatedAt());
        }
    }

    public record CreatedUser(
            long id,
            String username,
            String token,
            boolean isActive,
            @Nullable Instant createdAt,
            @Nullable Boolean reactivated) {}

    public record TokenView(String username, String token) {}

    @Transactional
    public CreatedUser create(@Nullable String username, AdminActor actor) {
        if (username == null || username.isBlank()) {
            throw FieldError.of("username", "is required");
        }
        String name = username.strip();
        if (!USERNAME.matcher(name).matches()) {
            throw FieldError.of("username", "may contain letters, digits and . _ @ - (1 to 255 characters)");
        }
        UserEntity existing = users.findByUsername(name).orElse(null);
        TokenService.IssuedToken issued = tokens.issue(name);
        CreatedUser result;
        if (existing != null) {
            if (existing.isActive()) {
                throw FieldError.of("username", "user '" + name + "' already exists");
            }
            UserEntity updated = users.update(new UserEntity(
                    existing.id(), name, issued.tokenId(), true, existing.createdAt(), existing.updatedAt()));
            result = new CreatedUser(idOf(updated), name, issued.token(), true, updated.createdAt(), true);
            audit.record(
                    "reactivate_user",
                    "user",
                    name,
                    actor,
                    Map.of("username", name, "before", Map.of("is_active", false), "after", Map.of("is_active", true)));
        } else {
            UserEntity saved = users.save(new UserEntity(null, name, issued.tokenId(), true, null, null));
            result = new CreatedUser(idOf(saved), name, issued.token(), true, saved.createdAt(), null);
            audit.record(
                    "create_user", "user", name, actor, Map.of("username", name, "after", Map.of("is_active", true)));
        }
        catalog.refresh();
        return result;
    }

    public List<UserView> list() {
        return users.findAllOrderByUsername().stream().map(UserView::of).toList();
    }

    public UserView get(String username) {
        return UserView.of(find(username));
    }

    @Transactional
    public TokenView rotateToken(String username, AdminActor actor) {
        UserEntity user = find(username);
        if (!user.isActive()) {
            throw new GatewayException.InvalidRequest("User '" + username + "' is deactivated", "username");
        }
        TokenService.IssuedToken issued = tokens.issue(user.username());
        users.update(
                new UserEntity(user.id(), user.username(), issued.tokenId(), true, user.createdAt(), user.updatedAt()));
        audit.record("rotate_token", "user", username, actor, Map.of("username", username));
        catalog.refresh();
        return new TokenView(user.username(), issued.token());
    }

    @Transactional
    public UserView setActive(String username, boolean active, AdminActor actor) {
        UserEntity user = find(username);
        UserEntity updated = users.update(
                new UserEntity(user.id(), user.username(), user.tokenId(), active, user.createdAt(), user.updatedAt()));
        audit.record(
                active ? "activate_user" : "deactivate_user",
                "user",
                username,
                actor,
                Map.of(
                        "username",
                        username,
                        "before",
                        Map.of("is_active", user.isActive()),
                        "after",
                        Map.of("is_active", active)));
        catalog.refresh();
        return UserView.of(updated);
    }

    private UserEntity find(String username) {
        return users.findByUsername(username)
                .orElseThrow(() -> new GatewayException.NotFound("User not found: " + username));
    }

    private static long idOf(UserEntity e) {
        Long id = e.id();
        if (id == null) {
            throw new IllegalStateException("user row without id");
        }
        return id;
    }
}
