package io.modelmaestro.bench.mock;

import java.nio.charset.StandardCharsets;

/**
 * The wire formats the mock speaks, as bytes. A stream is: the preamble (sent with the response headers), {@code
 * chunks} content frames (frame {@code k} carries the token {@link #token(int)}), then the trailer. Everything is
 * deterministic (fixed ids, fixed {@code created}, fixed usage: {@value #PROMPT_TOKENS} prompt tokens and one completion
 * token per content frame), so tests can compare bytes and clients can check every frame arrived.
 */
public enum MockFormat {
    /** OpenAI {@code POST /v1/chat/completions}: JSON, or SSE chunks ending in {@code data: [DONE]}. */
    OPENAI_CHAT("text/event-stream") {
        @Override
        public byte[] unary(String model, int chunks) {
            return utf8("{\"id\":\"" + OPENAI_ID + "\",\"object\":\"chat.completion\",\"created\":" + CREATED
                    + ",\"model\":\"" + esc(model) + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"" + text(chunks) + "\"},\"finish_reason\":\"stop\"}],\"usage\":"
                    + openAiUsage(chunks)
                    + "}");
        }

        @Override
        public byte[] preamble(String model) {
            return sse(
                    null,
                    head(model) + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                            + "\"finish_reason\":null}]}");
        }

        @Override
        public byte[] content(String model, int k, long stampNs) {
            return sse(
                    null,
                    head(model) + "{\"index\":0,\"delta\":{\"content\":\"" + token(k) + "\"},\"finish_reason\":null}]"
                            + stamp(stampNs) + "}");
        }

        @Override
        public byte[] trailer(String model, int chunks, boolean includeUsage) {
            String out = "data: " + head(model) + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
            if (includeUsage) {
                out += "data: " + head(model) + "],\"usage\":" + openAiUsage(chunks) + "}\n\n";
            }
            return utf8(out + "data: [DONE]\n\n");
        }

        @Override
        public byte[] error(int status) {
            return utf8("{\"error\":{\"message\":\"mock error " + status
                    + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        }

        private String head(String model) {
            return "{\"id\":\"" + OPENAI_ID + "\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                    + ",\"model\":\"" + esc(model) + "\",\"choices\":[";
        }
    },

    /** Anthropic {@code POST /v1/messages}: JSON, or named SSE events from message_start to message_stop. */
    ANTHROPIC_MESSAGES("text/event-stream") {
        @Override
        public byte[] unary(String model, int chunks) {
            return utf8("{\"id\":\"" + ANTHROPIC_ID + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
                    + esc(model) + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + text(chunks)
                    + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
                    + PROMPT_TOKENS + ",\"output_tokens\":" + chunks + "}}");
        }

        @Override
        public byte[] preamble(String model) {
            String start = sseText(
                    "message_start",
                    "{\"type\":\"message_start\",\"message\":{\"id\":\"" + ANTHROPIC_ID
                            + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + esc(model)
                            + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
                            + "{\"input_tokens\":" + PROMPT_TOKENS + ",\"output_tokens\":1}}}");
            String block = sseText(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            return utf8(start + block);
        }

        @Override
        public byte[] content(String model, int k, long stampNs) {
            return sse(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                            + token(k) + "\"}" + stamp(stampNs) + "}");
        }

        @Override
        public byte[] trailer(String model, int chunks, boolean includeUsage) {
            return utf8(sseText("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                    + sseText(
                            "message_delta",
                            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                                    + "\"usage\":{\"output_tokens\":" + chunks + "}}")
                    + sseText("message_stop", "{\"type\":\"message_stop\"}"));
        }

        @Override
        public byte[] error(int status) {
            return utf8("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"mock error " + status
                    + "\"}}");
        }
    },

    /** Ollama {@code POST /api/chat}: NDJSON messages; {@code "stream": true} is Ollama's default. */
    OLLAMA_CHAT("application/x-ndjson") {
        @Override
        public byte[] unary(String model, int chunks) {
            return utf8(ollamaDone(
                            model, "\"message\":{\"role\":\"assistant\",\"content\":\"" + text(chunks) + "\"}", chunks)
                    .strip());
        }

        @Override
        public byte[] content(String model, int k, long stampNs) {
            return utf8("{\"model\":\"" + esc(model) + "\",\"created_at\":\"" + OLLAMA_TIME
                    + "\",\"message\":{\"role\":\"assistant\",\"content\":\"" + token(k) + "\"},\"done\":false"
                    + stamp(stampNs) + "}\n");
        }

        @Override
        public byte[] trailer(String model, int chunks, boolean includeUsage) {
            return utf8(ollamaDone(model, "\"message\":{\"role\":\"assistant\",\"content\":\"\"}", chunks));
        }
    },

    /** Ollama {@code POST /api/generate}: like {@link #OLLAMA_CHAT} with {@code response} instead of a message. */
    OLLAMA_GENERATE("application/x-ndjson") {
        @Override
        public byte[] unary(String model, int chunks) {
            return utf8(ollamaDone(model, "\"response\":\"" + text(chunks) + "\"", chunks)
                    .strip());
        }

        @Override
        public byte[] content(String model, int k, long stampNs) {
            return utf8("{\"model\":\"" + esc(model) + "\",\"created_at\":\"" + OLLAMA_TIME + "\",\"response\":\""
                    + token(k) + "\",\"done\":false" + stamp(stampNs) + "}\n");
        }

        @Override
        public byte[] trailer(String model, int chunks, boolean includeUsage) {
            return utf8(ollamaDone(model, "\"response\":\"\"", chunks));
        }
    };

    public static final int PROMPT_TOKENS = 10;
    public static final long CREATED = 1_700_000_000L;
    static final String OPENAI_ID = "chatcmpl-mock";
    static final String ANTHROPIC_ID = "msg_mock";
    static final String OLLAMA_TIME = "2024-01-01T00:00:00Z";
    private static final byte[] EMPTY = new byte[0];

    private final String streamContentType;

    MockFormat(String streamContentType) {
        this.streamContentType = streamContentType;
    }

    public String streamContentType() {
        return streamContentType;
    }

    /** Content type of a non-streaming answer or an error. */
    public String unaryContentType() {
        return "application/json";
    }

    /** Whether a request asks for a stream; Ollama streams unless told not to, the others only when asked. */
    public boolean streams(@org.jspecify.annotations.Nullable Boolean requested) {
        return switch (this) {
            case OLLAMA_CHAT, OLLAMA_GENERATE -> requested == null || requested;
            default -> requested != null && requested;
        };
    }

    public abstract byte[] unary(String model, int chunks);

    /** Frames sent with the response headers, before any content. */
    public byte[] preamble(String model) {
        return EMPTY;
    }

    /** Content frame {@code k}; {@code stampNs < 0} leaves the stamp out. */
    public abstract byte[] content(String model, int k, long stampNs);

    public abstract byte[] trailer(String model, int chunks, boolean includeUsage);

    public byte[] error(int status) {
        return utf8("{\"error\":\"mock error " + status + "\"}");
    }

    /** The text of content frame {@code k}. */
    public static String token(int k) {
        return "t" + k + " ";
    }

    /** The whole text of an answer of {@code chunks} tokens: what a client must reassemble from a stream. */
    public static String text(int chunks) {
        StringBuilder sb = new StringBuilder(chunks * 5);
        for (int k = 0; k < chunks; k++) {
            sb.append(token(k));
        }
        return sb.toString();
    }

    static String openAiUsage(int chunks) {
        return "{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + chunks + ",\"total_tokens\":"
                + (PROMPT_TOKENS + chunks) + "}";
    }

    static String ollamaDone(String model, String payload, int chunks) {
        return "{\"model\":\"" + esc(model) + "\",\"created_at\":\"" + OLLAMA_TIME + "\"," + payload
                + ",\"done_reason\":\"stop\",\"done\":true,\"total_duration\":0,\"load_duration\":0,"
                + "\"prompt_eval_count\":" + PROMPT_TOKENS + ",\"prompt_eval_duration\":0,\"eval_count\":" + chunks
                + ",\"eval_duration\":0}\n";
    }

    static String stamp(long stampNs) {
        return stampNs < 0 ? "" : ",\"mock_ns\":" + stampNs;
    }

    static byte[] sse(@org.jspecify.annotations.Nullable String event, String data) {
        return utf8(event == null ? "data: " + data + "\n\n" : sseText(event, data));
    }

    static String sseText(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** JSON string escaping for the model name echoed back (the only client-supplied text the mock repeats). */
    static String esc(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(String.format("\\u%04x", (int) c));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
