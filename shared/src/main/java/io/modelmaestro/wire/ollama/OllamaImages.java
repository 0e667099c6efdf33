package io.modelmaestro.wire.ollama;

/**
 * Ollama images are bare base64, without a media type; OpenAI-style upstreams want a data URL with one. The type is
 * read from the first bytes (PNG, JPEG, GIF, WebP); anything else is sent as PNG.
 */
public final class OllamaImages {

    private OllamaImages() {}

    public static String mediaType(String base64) {
        if (base64.startsWith("/9j/")) {
            return "image/jpeg";
        }
        if (base64.startsWith("R0lGOD")) {
            return "image/gif";
        }
        if (base64.startsWith("UklGR")) {
            return "image/webp";
        }
        return "image/png";
    }
}
