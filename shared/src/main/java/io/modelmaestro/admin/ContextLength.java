package io.modelmaestro.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Context lengths as people write them: {@code 131072}, {@code "128K"} (×1024), {@code "32.5K"}, {@code "1M"}. */
public final class ContextLength {

    private static final int MAX = 100 * 1024 * 1024;

    private ContextLength() {}

    public static @Nullable Integer parse(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return check(value.asLong());
        }
        if (!value.isTextual()) {
            throw FieldError.of("context_length", "must be an integer or a string like '128K' or '1M'");
        }
        String text = value.asText().strip().toUpperCase(Locale.ROOT);
        if (text.isEmpty()) {
            return null;
        }
        try {
            long multiplier = 1;
            if (text.endsWith("K")) {
                multiplier = 1024;
                text = text.substring(0, text.length() - 1);
            } else if (text.endsWith("M")) {
                multiplier = 1024 * 1024;
                text = text.substring(0, text.length() - 1);
            }
            BigDecimal n = new BigDecimal(text.strip()).multiply(BigDecimal.valueOf(multiplier));
            return check(n.longValue());
        } catch (NumberFormatException e) {
            throw FieldError.of(
                    "context_length",
                    "invalid format '" + value.asText() + "'; supported formats: '198K', '128K', '1M', '32768'");
        }
    }

    private static int check(long n) {
        if (n <= 0 || n > MAX) {
            throw FieldError.of("context_length", "must be between 1 and " + MAX);
        }
        return (int) n;
    }

    /** The human form: "1M", "128K", or one decimal such as "32.5K". */
    public static @Nullable String display(@Nullable Integer n) {
        if (n == null) {
            return null;
        }
        if (n % (1024 * 1024) == 0) {
            return n / (1024 * 1024) + "M";
        }
        if (n % 1024 == 0) {
            return n / 1024 + "K";
        }
        if (n >= 1024) {
            return String.format(Locale.ROOT, "%.1fK", n / 1024.0);
        }
        return Integer.toString(n);
    }
}
