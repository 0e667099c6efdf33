package io.modelmaestro.routing;

import java.util.List;

/**
 * The outcome of resolving a client's model name: the candidate targets in no particular order (the selector orders
 * them), and the name to show the client in every response.
 *
 * @param pinned true when a {@code node:CODE:} prefix fixed the node
 */
public record Resolution(String displayModel, List<Target> candidates, boolean pinned) {
    public Resolution {
        candidates = List.copyOf(candidates);
    }
}
