package io.modelmaestro.routing;

import io.modelmaestro.catalog.CatalogSnapshot;
import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import io.modelmaestro.core.error.GatewayException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a client's model name into candidate targets. The order of lookups, in one place:
 *
 * <ol>
 *   <li>{@code node:CODE:model} pins the node with that code (unknown code → 404). The model part is mapped when a
 *       mapping applies on that node, and sent as it is otherwise; this is the only way to reach a node with {@code
 *       scoped_models}.
 *   <li>A mapping's display name (exact, or with {@code :latest} added to an untagged name): the nodes it applies to
 *       that may serve its real name.
 *   <li>Any other name is a real model name: the nodes that may serve it, nodes with scoped models excluded.
 * </ol>
 *
 * Inactive nodes are never candidates. Health is the router's concern, not this one's.
 */
public final class ModelResolver {

    public static final String NODE_PREFIX = "node:";

    private ModelResolver() {}

    public static Resolution resolve(String requested, CatalogSnapshot catalog) {
        if (requested.startsWith(NODE_PREFIX)) {
            return resolvePinned(requested, catalog);
        }
        ModelMapping mapping = catalog.mapping(requested);
        List<Target> targets = new ArrayList<>();
        if (mapping != null) {
            for (Node node : catalog.nodes()) {
                if (node.active()
                        && mapping.appliesTo(node.id())
                        && (!node.scopedModels() || !mapping.global())
                        && node.mayServe(mapping.realName())) {
                    targets.add(new Target(node, mapping.realName(), mapping));
                }
            }
            if (targets.isEmpty()) {
                throw new GatewayException.NoHealthyNode(
                        "Model '" + requested + "' is configured, but no active node serves it right now");
            }
            return new Resolution(requested, targets, false);
        }
        for (Node node : catalog.nodes()) {
            if (node.active() && !node.scopedModels() && node.mayServe(requested)) {
                targets.add(new Target(node, requested, null));
            }
        }
        if (targets.isEmpty()) {
            throw new GatewayException.NotFound("Model '" + requested + "' not found");
        }
        return new Resolution(requested, targets, false);
    }

    private static Resolution resolvePinned(String requested, CatalogSnapshot catalog) {
        String rest = requested.substring(NODE_PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new GatewayException.InvalidRequest(
                    "Node-prefixed model names look like 'node:CODE:model', got '" + requested + "'", "model");
        }
        String code = rest.substring(0, colon);
        String model = rest.substring(colon + 1);
        Node node = catalog.nodeByCode(code)
                .orElseThrow(() -> new GatewayException.NotFound("Node with code '" + code + "' not found"));
        if (!node.active()) {
            throw new GatewayException.NoHealthyNode("Node with code '" + code + "' is not active");
        }
        ModelMapping mapping = catalog.mapping(model);
        if (mapping != null && mapping.appliesTo(node.id())) {
            return new Resolution(requested, List.of(new Target(node, mapping.realName(), mapping)), true);
        }
        return new Resolution(requested, List.of(new Target(node, model, null)), true);
    }
}
