package io.modelmaestro.wire.gemini;

import io.modelmaestro.core.model.ChatRequest;

/**
 * A decoded Gemini request: the canonical request, plus what only the Gemini answer needs ({@code includeThoughts}:
 * whether reasoning comes back as {@code thought} parts).
 */
public record GeminiRequest(ChatRequest chat, boolean includeThoughts) {}
