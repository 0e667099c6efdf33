package io.modelmaestro.routing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of resolving a client's model name: the candidate targets, and the name to show the client in every
 * response. Outside a group the candidates come in no particular order (the selector orders them); for a group
 * they come member by member in the order the group's strategy chose, each target carrying its {@link GroupMember}.
 *
 * @param pinned true when a {@code node:CODE:} prefix fixed the node
 * @param group set when the client asked for a model group
 */
public record Resolution(
        String displayModel,
        List<Target> candidates,
        boolean pinned,
        @Nullable GroupRoute group) {

    public Resolution {
        candidates = List.copyOf(candidates);
    }

    public Resolution(String displayModel, List<Target> candidates, boolean pinned) {
        this(displayModel, candidates, pinned, null);
    }

    /** The same resolution with other candidates (access control, node-type filters). */
    public Resolution withCandidates(List<Target> newCandidates) {
        return new Resolution(displayModel, newCandidates, pinned, group);
    }

    /** The same resolution shown to the client under another name. */
    public Resolution withDisplayModel(String name) {
        return new Resolution(name, candidates, pinned, group);
    }
}
