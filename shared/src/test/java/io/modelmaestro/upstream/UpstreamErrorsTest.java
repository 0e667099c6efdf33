package io.modelmaestro.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UpstreamErrorsTest {

    private static String message(String body) {
        return UpstreamErrors.message(body.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of(
                        "OpenAI envelope",
                        "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
                        "Rate limit reached for gpt-4o"),
                Arguments.of(
                        "Ollama error string", "{\"error\":\"model 'llama9' not found\"}", "model 'llama9' not found"),
                Arguments.of("top-level message", "{\"message\":\"Service unavailable\"}", "Service unavailable"),
                Arguments.of("FastAPI detail", "{\"detail\":\"Not Found\"}", "Not Found"),
                Arguments.of(
                        "error object takes precedence over top-level message",
                        "{\"error\":{\"message\":\"inner\"},\"message\":\"outer\"}",
                        "inner"),
                Arguments.of(
                        "error object without message falls back to the raw body",
                        "{\"error\":{\"code\":5}}",
                        "{\"error\":{\"code\":5}}"),
                Arguments.of("plain text", "Bad Gateway", "Bad Gateway"),
                Arguments.of("plain text is stripped", "  upstream exploded \n", "upstream exploded"),
                Arguments.of("whitespace is collapsed", "line one\n\n\tline two   three", "line one line two three"),
                Arguments.of(
                        "whitespace inside a JSON message is collapsed too",
                        "{\"error\":{\"message\":\"a\\n  b\"}}",
                        "a b"),
                Arguments.of("JSON array is shown raw", "[1,2]", "[1,2]"),
                Arguments.of(
                        "HTML is shown as text",
                        "<html>\n<body>502 Bad Gateway</body>\n</html>",
                        "<html> <body>502 Bad Gateway</body> </html>"),
                Arguments.of("non-ASCII survives", "{\"error\":\"modèle introuvable 模型\"}", "modèle introuvable 模型"),
                Arguments.of("empty body", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void message_extractsAHumanMessage(String name, String body, String expected) {
        assertThat(message(body)).isEqualTo(expected);
    }

    @Test
    void message_longBody_isTruncatedTo500CharactersWithAnEllipsis() {
        String body = "x".repeat(499) + "yz" + "w".repeat(1000);
        String m = message(body);
        assertThat(m).hasSize(501).startsWith("x".repeat(499) + "y").endsWith("y…");
    }

    @Test
    void message_longJsonMessage_isTruncatedToo() {
        String m = message("{\"error\":{\"message\":\"" + "e".repeat(2_000) + "\"}}");
        assertThat(m).isEqualTo("e".repeat(500) + "…");
    }

    @Test
    void message_ofExactlyTheLimit_isKeptWhole() {
        String body = "a".repeat(500);
        assertThat(message(body)).isEqualTo(body);
    }

    @Test
    void message_limitAppliesAfterWhitespaceIsCollapsed() {
        String body = "a" + " ".repeat(600) + "b";
        assertThat(message(body)).isEqualTo("a b");
    }
}
