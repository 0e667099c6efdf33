package io.modelmaestro.pool;

import io.modelmaestro.catalog.NodeType;

/**
 * What the per-type pool interfaces share: which node types an implementation serves and, when several beans serve
 * the same type, which wins (highest {@link #precedence()}).
 */
public interface NodeTypeSupport {

    boolean supports(NodeType type);

    default int precedence() {
        return 0;
    }
}
