/** What is specific to Anthropic Messages clients (Claude Code, the Anthropic SDKs): the error envelope. */
@NullMarked
package io.modelmaestro.dialect.anthropic;

import org.jspecify.annotations.NullMarked;
