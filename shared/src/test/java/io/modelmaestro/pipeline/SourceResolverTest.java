package io.modelmaestro.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SourceResolverTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("/v1/messages", Map.of("user-agent", "claude-cli/2.0.14 (external, cli)"), "Claude Code"),
                Arguments.of("/v1/chat/completions", Map.of("user-agent", "Cursor/1.7"), "Cursor"),
                Arguments.of("/v1/responses", Map.of("user-agent", "codex_cli_rs/0.50.0"), "Codex"),
                Arguments.of("/v1/chat/completions", Map.of("user-agent", "opencode/0.15 ai-sdk"), "opencode"),
                Arguments.of("/v1/chat/completions", Map.of("user-agent", "Continue/1.2"), "Continue"),
                Arguments.of("/api/chat", Map.of("user-agent", "Open-WebUI/0.6"), "Open WebUI"),
                Arguments.of("/api/chat", Map.of("user-agent", "ollama/0.12.3 (amd64 linux)"), "Ollama CLI"),
                Arguments.of("/api/chat", Map.of("user-agent", "Grafana/12"), "Grafana"),
                Arguments.of("/v1/chat/completions", Map.of("user-agent", "OpenAI/Java 4.101.0"), "OpenAI SDK"),
                Arguments.of("/v1/messages", Map.of("user-agent", "Anthropic/Java 3.12.0"), "Anthropic SDK"),
                Arguments.of("/v1/chat/completions", Map.of("x-stainless-lang", "python"), "OpenAI SDK"),
                Arguments.of(
                        "/v1/messages",
                        Map.of("x-stainless-lang", "js", "anthropic-version", "2023-06-01"),
                        "Anthropic SDK"),
                Arguments.of("/v1/chat/completions", Map.of("x-maestro-client", "my-batch-job"), "my-batch-job"),
                Arguments.of("/claude/v1/messages", Map.of("user-agent", "curl/8"), "Claude"),
                Arguments.of("/api/generate", Map.of("user-agent", "curl/8"), "Ollama Native"),
                Arguments.of("/v1/chat/completions", Map.of("user-agent", "curl/8"), "OpenAI-Compatible"),
                Arguments.of("/v1/messages", Map.of(), "Claude"),
                Arguments.of("/other", Map.of(), "Unknown"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("cases")
    void resolve_namesTheClient(String path, Map<String, String> headers, String expected) {
        assertThat(SourceResolver.resolve(path, headers)).isEqualTo(expected);
    }
}
