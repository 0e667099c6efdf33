/** The AWS CDK app of Model Maestro (docs/deploy.md, ADR 0013). */
@NullMarked
package io.modelmaestro.infra;

import org.jspecify.annotations.NullMarked;
