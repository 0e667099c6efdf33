package io.modelmaestro.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A model group as routing sees it: a name clients ask for, resolved per request to one of its members
 * (docs/model-groups.md).
 *
 * @param failoverLimit the most members one request may try; null means every member
 * @param members the enabled and disabled members, lowest {@code priority} first
 */
public record ModelGroup(
        long id,
        String name,
        @Nullable String description,
        Strategy strategy,
        boolean enabled,
        boolean listInCatalog,
        @Nullable Integer failoverLimit,
        List<Member> members) {

    public ModelGroup {
        members = List.copyOf(members);
    }

    /** How the first member is chosen; failover always continues in priority order. */
    public enum Strategy {
        ROUND_ROBIN,
        WEIGHTED,
        PRIORITY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Strategy> parse(String value) {
            for (Strategy s : values()) {
                if (s.wireName().equals(value)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One member: a model name (a mapping's display name or a real name), optionally pinned to one node.
     *
     * @param priority lower is tried first
     * @param weight the share of first picks under the {@code weighted} strategy (0 = never picked first)
     */
    public record Member(long id, String model, @Nullable Long nodeId, int priority, int weight, boolean enabled) {}

    /** The enabled members, lowest priority first (ties by id). */
    public List<Member> enabledMembers() {
        return members.stream().filter(Member::enabled).toList();
    }
}
