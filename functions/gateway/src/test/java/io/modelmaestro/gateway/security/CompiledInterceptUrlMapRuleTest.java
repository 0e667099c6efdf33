package io.modelmaestro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.config.InterceptUrlMapPattern;
import io.micronaut.security.config.InterceptUrlPatternModifier;
import io.micronaut.security.config.SecurityConfiguration;
import io.micronaut.security.rules.ConfigurationInterceptUrlMapRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.token.RolesFinder;
import io.modelmaestro.gateway.support.Gateway;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The compiled rule decides every request exactly as Micronaut's own {@link ConfigurationInterceptUrlMapRule} does,
 * for the patterns the gateway is configured with: Micronaut's rule, built from the same beans, is the oracle.
 */
class CompiledInterceptUrlMapRuleTest {

    static Gateway gw;

    @BeforeAll
    static void start() {
        gw = Gateway.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void the_gateway_runs_the_compiled_rule_in_place_of_micronauts() {
        List<SecurityRule> rules = new ArrayList<>(gw.context().getBeansOfType(SecurityRule.class));
        assertThat(rules).hasAtLeastOneElementOfType(CompiledInterceptUrlMapRule.class);
        assertThat(rules)
                .filteredOn(r -> r.getClass() == ConfigurationInterceptUrlMapRule.class)
                .isEmpty();
    }

    @Test
    void every_path_method_and_role_gets_micronauts_answer() {
        CompiledInterceptUrlMapRule compiled = gw.bean(CompiledInterceptUrlMapRule.class);
        ConfigurationInterceptUrlMapRule micronaut = new ConfigurationInterceptUrlMapRule(
                gw.bean(RolesFinder.class),
                gw.bean(SecurityConfiguration.class),
                gw.bean(InterceptUrlPatternModifier.class));
        List<InterceptUrlMapPattern> patterns =
                gw.bean(SecurityConfiguration.class).getInterceptUrlMap();
        assertThat(patterns).as("the configured map").hasSizeGreaterThan(10);

        Set<String> paths = new LinkedHashSet<>(List.of(
                "/",
                "/v1",
                "/v1/",
                "/v1/chat/completions",
                "/v1x/chat",
                "/V1/chat/completions",
                "/v1beta/models/gemini:generateContent",
                "/admin",
                "/admin/",
                "/admin/assets/index-abc.js",
                "/admin/assets",
                "/admin/session",
                "/admin/session/x",
                "/admin/users/1",
                "/adminx",
                "/api/tags",
                "/api/pull",
                "/api/pullx",
                "/api/pull/x",
                "/api/docs",
                "/api/docs/swagger-ui",
                "/claude",
                "/claude/v1/messages",
                "/gemini/v1beta/models",
                "/health",
                "/unknown/path",
                // What Ant's tokenising forgives: repeated slashes, blanks around segments (decoded from %20).
                "//v1/chat/completions",
                "/admin//users",
                "/%20admin/users",
                "/admin%20/users",
                "/api/%20pull",
                "/v1/chat/completions%20"));
        for (InterceptUrlMapPattern p : patterns) {
            String literal = p.getPattern().replace("/**", "").replace("**", "").replace("*", "x");
            paths.add(literal);
            paths.add(literal + "/");
            paths.add(literal + "/a");
            paths.add(literal + "/a/b");
            paths.add(literal + "a");
        }
        List<@Nullable Authentication> who = new ArrayList<>();
        who.add(null);
        who.add(Authentication.build("user", List.of("USER")));
        who.add(Authentication.build("admin", List.of("ADMIN")));
        List<HttpMethod> methods = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE);

        int checked = 0;
        int decided = 0;
        for (String path : paths) {
            for (HttpMethod method : methods) {
                HttpRequest<?> request = HttpRequest.create(method, "http://localhost" + path);
                for (Authentication a : who) {
                    SecurityRuleResult expected =
                            Mono.from(micronaut.check(request, a)).block();
                    SecurityRuleResult actual =
                            Mono.from(compiled.check(request, a)).block();
                    assertThat(actual)
                            .as("%s %s as %s", method, path, a == null ? "anonymous" : a.getRoles())
                            .isEqualTo(expected);
                    checked++;
                    if (expected != SecurityRuleResult.UNKNOWN) {
                        decided++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(500);
        assertThat(decided).as("most paths fall under a pattern").isGreaterThan(checked / 2);
    }
}
