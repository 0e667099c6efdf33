package io.modelmaestro.gateway.security;

import io.micronaut.security.token.reader.HttpHeaderTokenReader;
import jakarta.inject.Singleton;

/**
 * Reads the token from {@code x-api-key} (Anthropic SDKs, Claude Code). It feeds the same validators as {@code
 * Authorization: Bearer}, so every credential header goes through one authentication path.
 */
@Singleton
public class ApiKeyTokenReader extends HttpHeaderTokenReader {

    @Override
    protected String getPrefix() {
        return "";
    }

    @Override
    protected String getHeaderName() {
        return "x-api-key";
    }

    @Override
    public int getOrder() {
        return 10;
    }
}
