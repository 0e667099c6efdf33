package io.modelmaestro.bench.load;

/** Request bodies the harness sends: a small chat request in each format, with the mock's knobs in its body. */
public final class Bodies {

    private Bodies() {}

    /** Knobs below zero are left out (the mock's defaults apply). */
    public static String chat(String format, String model, boolean stream, int chunks, int intervalMs, int ttftMs) {
        StringBuilder knobs = new StringBuilder();
        knob(knobs, "chunks", chunks);
        knob(knobs, "interval_ms", intervalMs);
        knob(knobs, "ttft_ms", ttftMs);
        String mock = knobs.isEmpty() ? "" : ",\"mock\":{" + knobs + "}";
        String messages = "\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hello to the benchmark.\"}]";
        return switch (format) {
            case "anthropic" ->
                "{\"model\":\"" + model + "\",\"max_tokens\":64,"
                        + messages.replace("{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},", "")
                        + ",\"stream\":" + stream + mock + "}";
            case "ollama" -> "{\"model\":\"" + model + "\"," + messages + ",\"stream\":" + stream + mock + "}";
            default ->
                "{\"model\":\"" + model + "\"," + messages + ",\"max_tokens\":64,\"temperature\":0.2,\"stream\":"
                        + stream + mock + "}";
        };
    }

    private static void knob(StringBuilder sb, String name, int value) {
        if (value >= 0) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append('"').append(name).append("\":").append(value);
        }
    }
}
