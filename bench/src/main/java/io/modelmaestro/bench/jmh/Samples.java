package io.modelmaestro.bench.jmh;

import java.nio.charset.StandardCharsets;

/** Realistic inputs for the benchmarks. */
final class Samples {

    private Samples() {}

    static byte[] openAiRequest(String size) {
        String json = switch (size) {
            case "small" -> """
                    {"model":"coder","messages":[{"role":"system","content":"You are a terse assistant."},\
                    {"role":"user","content":"Say hello."}],"max_tokens":64,"temperature":0.2,"stream":true}""";
            case "agent" -> agentRequest();
            default -> throw new IllegalArgumentException("size is small or agent");
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A coding agent's turn: system prompt, a few turns with a tool call and its result, four tools. */
    private static String agentRequest() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"model\":\"qwen2.5-coder:32b\",\"stream\":true,\"stream_options\":{\"include_usage\":true},");
        sb.append("\"temperature\":0.1,\"max_tokens\":4096,\"messages\":[");
        sb.append("{\"role\":\"system\",\"content\":\"")
                .append("You are an expert software engineer. ".repeat(30))
                .append("\"},");
        sb.append("{\"role\":\"user\",\"content\":\"Fix the failing test in src/test/java/FooTest.java.\"},");
        sb.append("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",")
                .append(
                        "\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\"src/test/java/FooTest.java\\\"}\"}}]},");
        sb.append("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"")
                .append("    @Test void adds() { assertEquals(3, Foo.add(1, 2)); }\\n".repeat(40))
                .append("\"},");
        sb.append(
                "{\"role\":\"assistant\",\"content\":\"The test expects add to return the sum; Foo.add subtracts.\"},");
        sb.append("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Go ahead and fix it.\"}]}],");
        sb.append("\"tools\":[");
        String[] tools = {"read_file", "write_file", "run_tests", "search"};
        for (int i = 0; i < tools.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"type\":\"function\",\"function\":{\"name\":\"")
                    .append(tools[i])
                    .append("\",\"description\":\"")
                    .append("Does ")
                    .append(tools[i])
                    .append(" in the workspace.")
                    .append("\",\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",")
                    .append(
                            "\"description\":\"A path relative to the workspace root\"},\"content\":{\"type\":\"string\"}},")
                    .append("\"required\":[\"path\"]}}}");
        }
        sb.append("],\"tool_choice\":\"auto\"}");
        return sb.toString();
    }

    /** One upstream OpenAI chunk as an SSE frame (what a vLLM/Ollama node sends per token). */
    static byte[] openAiChunkFrame() {
        return ("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                        + "\"model\":\"qwen2.5-coder:32b\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"role\":\"assistant\",\"content\":\" hello\"},\"finish_reason\":null}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One Ollama NDJSON line. */
    static byte[] ollamaLine() {
        return ("{\"model\":\"qwen2.5-coder:32b\",\"created_at\":\"2024-01-01T00:00:00.000000Z\",\"message\":"
                        + "{\"role\":\"assistant\",\"content\":\" hello\"},\"done\":false}\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
