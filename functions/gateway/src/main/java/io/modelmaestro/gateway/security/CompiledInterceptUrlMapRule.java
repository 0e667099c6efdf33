package io.modelmaestro.gateway.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.util.AntPathMatcher;
import io.micronaut.core.util.PathMatcher;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.config.InterceptUrlMapPattern;
import io.micronaut.security.config.InterceptUrlPatternModifier;
import io.micronaut.security.config.SecurityConfiguration;
import io.micronaut.security.rules.ConfigurationInterceptUrlMapRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.token.RolesFinder;
import jakarta.inject.Singleton;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The {@code micronaut.security.intercept-url-map} rule, with the same result for every request as Micronaut's
 * {@link ConfigurationInterceptUrlMapRule} but without its cost on the hot path.
 *
 * <p>Micronaut's rule runs two passes over the whole list for each request: first for a pattern that matches the path
 * <em>and</em> names the request's method, then for the first matching pattern without a method. The first pass
 * cannot stop early unless a method-specific pattern matches, so every request tokenises every pattern and the path
 * with {@link AntPathMatcher} (~20 patterns here: 6.4 % of the request path's CPU samples under load, session 5's
 * profile). Here each pattern is compiled once: an exact path when it has no wildcard, a prefix test when its only
 * wildcard is a trailing {@code /**}, Micronaut's own {@link AntPathMatcher} otherwise. The same two passes, the same
 * order, the same role comparison ({@link #compareRoles}); {@code CompiledInterceptUrlMapRuleTest} checks every
 * decision against Micronaut's own rule for the configured patterns, and the authorization matrix tests run through
 * this rule.
 */
@Singleton
@Replaces(ConfigurationInterceptUrlMapRule.class)
public class CompiledInterceptUrlMapRule extends ConfigurationInterceptUrlMapRule {

    /** One configured pattern, compiled. */
    record Compiled(InterceptUrlMapPattern pattern, Matcher matcher) {}

    /** How one pattern matches a path. */
    interface Matcher {
        boolean matches(String path);

        static Matcher of(String pattern) {
            if (!hasWildcard(pattern)) {
                return pattern::equals;
            }
            if (pattern.endsWith("/**")) {
                String base = pattern.substring(0, pattern.length() - 3);
                if (!base.isEmpty() && !hasWildcard(base)) {
                    String prefix = base + "/";
                    // Ant's "/a/**" matches "/a" itself, "/a/" and everything below.
                    return path -> path.startsWith(prefix) || path.equals(base);
                }
            }
            AntPathMatcher ant = PathMatcher.ANT;
            return path -> ant.matches(pattern, path);
        }

        private static boolean hasWildcard(String s) {
            return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('{') >= 0;
        }
    }

    private final List<Compiled> compiled;

    public CompiledInterceptUrlMapRule(
            RolesFinder rolesFinder,
            SecurityConfiguration securityConfiguration,
            InterceptUrlPatternModifier interceptUrlPatternModifier) {
        super(rolesFinder, securityConfiguration, interceptUrlPatternModifier);
        this.compiled = getPatternList().stream()
                .map(p -> new Compiled(p, Matcher.of(p.getPattern())))
                .toList();
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        InterceptUrlMapPattern match = find(request.getUri().getPath(), request.getMethod());
        if (match == null) {
            return Mono.just(SecurityRuleResult.UNKNOWN);
        }
        return compareRoles(match.getAccess(), getRoles(authentication));
    }

    /** Micronaut's order: the first pattern for this path and method, else the first for this path and any method. */
    @Nullable
    InterceptUrlMapPattern find(String path, HttpMethod method) {
        // Ant tokenises the path, dropping empty segments and trimming blanks ("/admin//x", "/ admin/x"); only a path
        // without either is compared by the compiled matchers, any other by Ant itself, exactly as Micronaut does.
        boolean clean = isClean(path);
        for (Compiled c : compiled) {
            if (c.pattern().getHttpMethod() == method && matches(c, path, clean)) {
                return c.pattern();
            }
        }
        for (Compiled c : compiled) {
            if (c.pattern().getHttpMethod() == null && matches(c, path, clean)) {
                return c.pattern();
            }
        }
        return null;
    }

    private static boolean matches(Compiled c, String path, boolean clean) {
        return clean
                ? c.matcher().matches(path)
                : PathMatcher.ANT.matches(c.pattern().getPattern(), path);
    }

    private static boolean isClean(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch <= ' ' || (ch == '/' && previous == '/')) {
                return false;
            }
            previous = ch;
        }
        return true;
    }
}
