/** What is specific to Gemini API clients (Gemini CLI, the Google Gen AI SDKs): Google's error envelope. */
@NullMarked
package io.modelmaestro.dialect.gemini;

import org.jspecify.annotations.NullMarked;
