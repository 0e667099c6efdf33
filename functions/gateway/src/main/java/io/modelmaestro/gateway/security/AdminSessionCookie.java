package io.modelmaestro.gateway.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The admin site's session cookie: its name, how it is read, and the flags it is always sent with. */
public final class AdminSessionCookie {

    public static final String NAME = "maestro_admin_session";
    /** The header every cookie-authenticated request other than GET/HEAD/OPTIONS must carry (value {@code 1}). */
    public static final String CSRF_HEADER = "X-Maestro-CSRF";

    private AdminSessionCookie() {}

    /** The cookie's value, when the request carries one and no other credential header. */
    public static @Nullable String read(HttpRequest<?> request) {
        if (request.getHeaders().contains("authorization")
                || request.getHeaders().contains("x-api-key")) {
            return null;
        }
        return request.getCookies().findCookie(NAME).map(Cookie::getValue).orElse(null);
    }

    public static Cookie issue(HttpRequest<?> request, String value, Duration maxAge) {
        return flags(request, Cookie.of(NAME, value)).maxAge(maxAge);
    }

    /** An expired cookie that makes the browser drop the session cookie. */
    public static Cookie clear(HttpRequest<?> request) {
        return flags(request, Cookie.of(NAME, "")).maxAge(0);
    }

    private static Cookie flags(HttpRequest<?> request, Cookie cookie) {
        return cookie.httpOnly(true).sameSite(SameSite.Strict).path("/").secure(isHttps(request));
    }

    /** HTTPS directly, or a TLS-terminating proxy in front that says so (the flag only ever makes the cookie stricter). */
    static boolean isHttps(HttpRequest<?> request) {
        if (request.isSecure()) {
            return true;
        }
        String proto = request.getHeaders().get("x-forwarded-proto");
        return proto != null && proto.strip().toLowerCase(Locale.ROOT).startsWith("https");
    }
}
