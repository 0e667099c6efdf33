package io.modelmaestro.routing;

import io.modelmaestro.catalog.ModelMapping;
import io.modelmaestro.catalog.Node;
import org.jspecify.annotations.Nullable;

/** One place a request can go: a node and the model name to send it. */
public record Target(
        Node node, String upstreamModel, @Nullable ModelMapping mapping) {}
