package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.WebSearchTool;
import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Responses surface's refusals, each in OpenAI's error envelope with the right status and {@code param}, and
 * none reaching an upstream: hosted tools the nodes cannot run, malformed bodies and items, missing credentials.
 */
class ResponsesErrorsTest {

    static FakeUpstream upstream;
    static Gateway gw;
    static String token;

    @BeforeAll
    static void start() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("real"), false);
        gw = Gateway.start();
        gw.map("m", "real", gw.createNode("vllm", "oa", "openai", upstream.baseUrl()));
        token = gw.createUser("erin");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static JsonNode assertError(HttpResponse<String> r, int status, String type, String param) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        JsonNode error = Json.parse(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception");
        if (param != null) {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
        return error;
    }

    @Test
    void a_hosted_tool_is_refused_naming_it_through_the_sdk() {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .apiKey(token)
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
        int before = upstream.requests().size();
        assertThatThrownBy(() -> client.responses()
                        .create(ResponseCreateParams.builder()
                                .model("m")
                                .input("What happened today?")
                                .addTool(WebSearchTool.builder()
                                        .type(WebSearchTool.Type.WEB_SEARCH)
                                        .build())
                                .build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("'web_search'");
                    assertThat(e.param()).contains("tools[0].type");
                });
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void namespace_tools_as_codex_sends_them_are_function_tools_and_calls_come_back_namespaced() {
        String body = "{\"model\":\"m\",\"input\":\"list files\",\"tools\":[{\"type\":\"namespace\","
                + "\"name\":\"mcp_fs\",\"description\":\"files\",\"tools\":[{\"type\":\"function\","
                + "\"name\":\"list\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}]}]}";
        HttpResponse<String> r = gw.call("POST", "/v1/responses", token, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode sent = Json.parse(
                upstream.requests().get(upstream.requests().size() - 1).body());
        assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("mcp_fs__list");
        JsonNode call = Json.parse(r.body()).at("/output/0");
        assertThat(call.path("type").asText()).isEqualTo("function_call");
        assertThat(call.path("name").asText()).isEqualTo("list");
        assertThat(call.path("namespace").asText()).isEqualTo("mcp_fs");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "file_search|{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_1\"]}",
                "computer_use_preview|{\"type\":\"computer_use_preview\",\"display_width\":1,\"display_height\":1,\"environment\":\"linux\"}",
                "code_interpreter|{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}}",
                "image_generation|{\"type\":\"image_generation\"}",
                "mcp|{\"type\":\"mcp\",\"server_label\":\"x\",\"server_url\":\"https://example.com\"}"
            })
    void every_hosted_tool_is_refused_by_name(String type, String tool) {
        String body =
                "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"}," + tool + "]}";
        JsonNode error = assertError(
                gw.call("POST", "/v1/responses", token, body), 400, "invalid_request_error", "tools[1].type");
        assertThat(error.get("message").asText()).contains("'" + type + "'");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\":\"m\"|",
                "[1,2]|",
                "{\"input\":\"hi\"}|model",
                "{\"model\":\"m\"}|input",
                "{\"model\":\"m\",\"input\":42}|input",
                "{\"model\":\"m\",\"input\":[]}|input",
                "{\"model\":\"m\",\"input\":[{\"type\":\"telepathy\"}]}|input[0].type",
                "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}|input[0].content[0].text",
                "{\"model\":\"m\",\"input\":[{\"role\":\"wizard\",\"content\":\"x\"}]}|input[0].role",
                "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}|input[0].call_id",
                "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\"}]}|input[0].name",
                "{\"model\":\"m\",\"input\":\"hi\",\"temperature\":\"hot\"}|temperature",
                "{\"model\":\"m\",\"input\":\"hi\",\"max_output_tokens\":0}|max_output_tokens",
                "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\"}]}|tools[0].name",
                "{\"model\":\"m\",\"input\":\"hi\",\"tool_choice\":\"sometimes\"}|tool_choice",
                "{\"model\":\"m\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"x\"}}}|text.format.schema",
                "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"extreme\"}}|reasoning.effort",
                "{\"model\":\"m\",\"input\":\"hi\",\"metadata\":{\"a\":1}}|metadata",
                "{\"model\":\"m\",\"input\":\"hi\",\"stream\":\"yes\"}|stream",
                "{\"model\":\"m\",\"input\":\"hi\",\"background\":true}|background",
                "{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"resp_nope\"}|previous_response_id"
            })
    void malformed_requests_are_400_naming_the_parameter(String body, String param) {
        int before = upstream.requests().size();
        assertError(gw.call("POST", "/v1/responses", token, body), 400, "invalid_request_error", param);
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void an_unknown_pinned_node_is_404() {
        int before = upstream.requests().size();
        assertError(
                gw.call("POST", "/v1/responses", token, "{\"model\":\"node:zz:m\",\"input\":\"hi\"}"),
                404,
                "invalid_request_error",
                null);
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void missing_or_bad_credentials_are_401_in_openai_format_and_logged() {
        JsonNode missing = assertError(
                gw.call("POST", "/v1/responses", null, "{\"model\":\"m\",\"input\":\"hi\"}"),
                401,
                "authentication_error",
                null);
        assertThat(missing.get("code").asText()).isEqualTo("invalid_api_key");
        assertError(gw.call("GET", "/v1/responses/resp_x", "not-a-token", null), 401, "authentication_error", null);
        OpenAIClient stranger = OpenAIOkHttpClient.builder()
                .apiKey("sk-wrong")
                .baseUrl(gw.baseUrl() + "/v1")
                .maxRetries(0)
                .build();
        assertThatThrownBy(() -> stranger.responses()
                        .create(ResponseCreateParams.builder()
                                .model("m")
                                .input("hi")
                                .build()))
                .isInstanceOf(UnauthorizedException.class);
        gw.flushActivity();
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.statusCode()).isEqualTo(401);
        assertThat(row.clientFormat()).isEqualTo("responses");
        assertThat(row.requestType()).isEqualTo("responses");
    }

    @Test
    void a_refused_request_still_leaves_exactly_one_activity_row() {
        gw.flushActivity();
        long before = gw.bean(ActivityLogRepository.class).count();
        gw.call("POST", "/v1/responses", token, "{\"model\":\"m\",\"input\":[{\"type\":\"telepathy\"}]}");
        gw.flushActivity();
        assertThat(gw.bean(ActivityLogRepository.class).count()).isEqualTo(before + 1);
        ActivityLogEntity row =
                gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc().get(0);
        assertThat(row.statusCode()).isEqualTo(400);
        assertThat(row.clientFormat()).isEqualTo("responses");
        assertThat(row.modelName()).isEqualTo("m");
    }
}
