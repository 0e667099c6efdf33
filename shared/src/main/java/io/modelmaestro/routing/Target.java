package io.modelmaestro.routing;

import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import org.jspecify.annotations.Nullable;

/**
 * One place a request can go: a node and the model name to send it.
 *
 * @param member the group member this target serves, when the client asked for a model group
 */
public record Target(
        Node node,
        String upstreamModel,
        @Nullable ModelMapping mapping,
        @Nullable GroupMember member) {

    public Target(Node node, String upstreamModel, @Nullable ModelMapping mapping) {
        this(node, upstreamModel, mapping, null);
    }

    public Target asMember(GroupMember member) {
        return new Target(node, upstreamModel, mapping, member);
    }
}
