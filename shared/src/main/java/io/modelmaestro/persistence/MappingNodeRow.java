package io.modelmaestro.persistence;

import io.micronaut.core.annotation.Introspected;

/** One row of {@code model_mapping_nodes}. */
@Introspected
public record MappingNodeRow(long mappingId, long nodeId) {}
