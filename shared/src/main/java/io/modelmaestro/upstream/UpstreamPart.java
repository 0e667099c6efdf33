package io.modelmaestro.upstream;

import java.util.Map;

/** What an upstream exchange yields, in order: one {@link Head}, then zero or more {@link Body} chunks. */
public sealed interface UpstreamPart {

    /** Status and the response headers (names lower-cased). */
    record Head(int status, Map<String, String> headers) implements UpstreamPart {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    record Body(byte[] bytes) implements UpstreamPart {}
}
