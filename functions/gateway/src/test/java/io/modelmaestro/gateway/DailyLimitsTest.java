package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelmaestro.gateway.support.FakeUpstream;
import io.modelmaestro.gateway.support.Gateway;
import io.modelmaestro.gateway.support.MutableClock;
import io.modelmaestro.gateway.support.OpenAiWireFake;
import io.modelmaestro.gateway.support.TestRedis;
import io.modelmaestro.json.Json;
import io.modelmaestro.persistence.ActivityLogEntity;
import io.modelmaestro.persistence.ActivityLogRepository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Daily request and token limits, with a real Redis server and without one. */
class DailyLimitsTest {

    static final String CHAT = "/v1/chat/completions";
    static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    FakeUpstream upstream;
    TestRedis redis;

    @BeforeEach
    void setUp() {
        upstream = OpenAiWireFake.install(new FakeUpstream(), List.of("m"), false);
        redis = new TestRedis();
    }

    @AfterEach
    void tearDown() {
        upstream.close();
        redis.close();
    }

    Gateway start(boolean withRedis, Map<String, Object> extra, Object... singletons) {
        Map<String, Object> props = new java.util.HashMap<>(extra);
        if (withRedis) {
            props.put("redis.uri", redis.uri());
        }
        Gateway gw = Gateway.start(props, singletons);
        gw.createNode("n", "n", "openai", upstream.baseUrl());
        return gw;
    }

    static void limit(Gateway gw, String user, String json) {
        HttpResponse<String> r = gw.admin("PUT", "/admin/users/" + user + "/limits", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {true, false})
    void concurrent_requests_never_exceed_the_request_cap(boolean withRedis) throws Exception {
        try (Gateway gw = start(withRedis, Map.of())) {
            String token = gw.createUser("busy");
            limit(gw, "busy", "{\"request_limit\":10}");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(pool.submit((Callable<HttpResponse<String>>) () -> gw.call("POST", CHAT, token, BODY)));
            }
            int ok = 0;
            int limited = 0;
            for (Future<HttpResponse<String>> f : calls) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(429);
                    assertThat(r.headers().firstValue("x-ratelimit-limit-requests"))
                            .contains("10");
                    assertThat(r.headers().firstValue("x-ratelimit-remaining-requests"))
                            .contains("0");
                    assertThat(r.headers().firstValue("retry-after")).isPresent();
                    assertThat(Json.parse(r.body()).path("error").path("type").asText())
                            .isEqualTo("rate_limit_error");
                    limited++;
                }
            }
            pool.shutdown();
            assertThat(ok).isEqualTo(10);
            assertThat(limited).isEqualTo(30);
            assertThat(upstream.requests(CHAT)).hasSize(10);
            gw.flushActivity();
            List<ActivityLogEntity> rows = gw.bean(ActivityLogRepository.class).findAllOrderByIdDesc();
            assertThat(rows).hasSize(40);
            assertThat(rows.stream().filter(r -> r.statusCode() == 429))
                    .hasSize(30)
                    .allSatisfy(r -> assertThat(r.errorClass()).isEqualTo("RateLimited"));
        }
    }

    @Test
    void token_cap_admits_while_budget_remains_and_settles_with_real_counts() {
        try (Gateway gw = start(true, Map.of())) {
            String token = gw.createUser("tok");
            limit(gw, "tok", "{\"token_limit\":30}");
            // Each answer uses 12 + 7 = 19 tokens; the reservation (about 1 KiB) is corrected after each call.
            assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            HttpResponse<String> third = gw.call("POST", CHAT, token, BODY);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.headers().firstValue("x-ratelimit-remaining-tokens"))
                    .contains("0");
        }
    }

    @Test
    void limits_reset_at_the_utc_day_boundary() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T23:59:00Z"));
        try (Gateway gw = start(true, Map.of(), (InstantSource) clock)) {
            String token = gw.createUser("daily");
            limit(gw, "daily", "{\"request_limit\":2}");
            assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = gw.call("POST", CHAT, token, BODY);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("retry-after")).contains("60");
            clock.advance(Duration.ofMinutes(2));
            assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void counters_are_rebuilt_from_postgres_when_redis_loses_them() throws Exception {
        try (Gateway gw = start(true, Map.of())) {
            String token = gw.createUser("rebuild");
            limit(gw, "rebuild", "{\"request_limit\":5}");
            for (int i = 0; i < 3; i++) {
                assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            }
            gw.flushActivity();
            // Redis restarts empty (no persistence): the next reservation finds no counters and rebuilds them from
            // today's activity rows, so only two more requests fit.
            redis.stop();
            redis.start();
            int ok = 0;
            for (int i = 0; i < 4; i++) {
                if (gw.call("POST", CHAT, token, BODY).statusCode() == 200) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(2);
        }
    }

    @Test
    void redis_down_fails_open_without_hanging() {
        try (Gateway gw = start(true, Map.of())) {
            String token = gw.createUser("open");
            limit(gw, "open", "{\"request_limit\":100}");
            assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            redis.stop();
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            redis.start();
        }
    }

    @Test
    void redis_down_fails_closed_when_configured() {
        try (Gateway gw = start(true, Map.of("maestro.limits.fail-open", false))) {
            String token = gw.createUser("closed");
            limit(gw, "closed", "{\"request_limit\":100}");
            assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            redis.stop();
            HttpResponse<String> r = gw.call("POST", CHAT, token, BODY);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(upstream.requests(CHAT)).hasSize(1);
            redis.start();
        }
    }

    @Test
    void users_without_limits_are_never_counted_and_admin_validates_limits() {
        try (Gateway gw = start(true, Map.of())) {
            String token = gw.createUser("free");
            for (int i = 0; i < 5; i++) {
                assertThat(gw.call("POST", CHAT, token, BODY).statusCode()).isEqualTo(200);
            }
            assertThat(gw.admin("PUT", "/admin/users/free/limits", "{\"request_limit\":-1}")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(gw.admin("PUT", "/admin/users/free/limits", "{\"token_limit\":\"lots\"}")
                            .statusCode())
                    .isEqualTo(400);
            HttpResponse<String> get = gw.admin("GET", "/admin/users/free/limits", null);
            assertThat(Json.parse(get.body()).get("request_limit").isNull()).isTrue();
        }
    }
}
