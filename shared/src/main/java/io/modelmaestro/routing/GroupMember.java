package io.modelmaestro.routing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A group member as one request sees it.
 *
 * @param id the member's id ({@code model_group_members.id})
 * @param model the member's model name as configured (display or real name)
 * @param rank its place in this request's plan: 0 is tried first
 * @param contextLength the member's context window when known (the mapping's, else the largest a node reported)
 * @param capabilities what is known of the member's capabilities; empty when unknown
 */
public record GroupMember(
        long id, String model, int rank, @Nullable Integer contextLength, List<String> capabilities) {
    public GroupMember {
        capabilities = List.copyOf(capabilities);
    }
}
