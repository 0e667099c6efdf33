package io.modelmaestro.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One known setting: its key, type, default, bounds and what reads it. Values are stored as text in the
 * {@code settings} table and exchanged as typed JSON values (an integer is a JSON number, a boolean a JSON boolean).
 */
public record SettingDefinition(
        String key,
        Type type,
        Object defaultValue,
        String description,
        @Nullable Long min,
        @Nullable Long max) {

    /** The value types a setting can have. */
    public enum Type {
        INTEGER,
        BOOLEAN,
        STRING,
        URL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static SettingDefinition integer(String key, long defaultValue, long min, long max, String description) {
        return new SettingDefinition(key, Type.INTEGER, defaultValue, description, min, max);
    }

    public static SettingDefinition bool(String key, boolean defaultValue, String description) {
        return new SettingDefinition(key, Type.BOOLEAN, defaultValue, description, null, null);
    }

    /** A single-line string of {@code min} to {@code max} characters. */
    public static SettingDefinition string(String key, String defaultValue, long min, long max, String description) {
        return new SettingDefinition(key, Type.STRING, defaultValue, description, min, max);
    }

    public static SettingDefinition url(String key, String defaultValue, String description) {
        return new SettingDefinition(key, Type.URL, defaultValue, description, null, 500L);
    }

    /**
     * Checks a JSON value and returns its typed form, or the reason it is not acceptable (the message names no field:
     * the caller adds the key).
     */
    public Validated validate(JsonNode value) {
        return switch (type) {
            case INTEGER -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    yield Validated.error("must be an integer");
                }
                long v = value.asLong();
                if ((min != null && v < min) || (max != null && v > max)) {
                    yield Validated.error("must be between " + min + " and " + max);
                }
                yield Validated.ok(v);
            }
            case BOOLEAN -> value.isBoolean() ? Validated.ok(value.asBoolean()) : Validated.error("must be a boolean");
            case STRING -> {
                if (!value.isTextual()) {
                    yield Validated.error("must be a string");
                }
                String s = value.asText().strip();
                if ((min != null && s.length() < min) || (max != null && s.length() > max)) {
                    yield Validated.error("must be " + min + " to " + max + " characters");
                }
                if (s.chars().anyMatch(Character::isISOControl)) {
                    yield Validated.error("must be a single line of printable characters");
                }
                yield Validated.ok(s);
            }
            case URL -> {
                if (!value.isTextual()) {
                    yield Validated.error("must be a string");
                }
                String s = value.asText().strip();
                yield urlProblem(s).map(Validated::error).orElseGet(() -> Validated.ok(s));
            }
        };
    }

    /** The stored text of a typed value. */
    public String store(Object value) {
        return String.valueOf(value);
    }

    /** The typed value of stored text; the default when the text no longer fits the definition. */
    public Object load(@Nullable String stored) {
        if (stored == null) {
            return defaultValue;
        }
        try {
            return switch (type) {
                case INTEGER -> {
                    long v = Long.parseLong(stored.strip());
                    yield (min != null && v < min) || (max != null && v > max) ? defaultValue : v;
                }
                case BOOLEAN ->
                    switch (stored.strip()) {
                        case "true" -> true;
                        case "false" -> false;
                        default -> defaultValue;
                    };
                case STRING -> stored;
                case URL -> urlProblem(stored).isPresent() ? defaultValue : stored;
            };
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    /** Type, default and bounds, as the admin API describes the setting. */
    public Map<String, Object> constraints() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (min != null) {
            out.put(type == Type.INTEGER ? "min" : "min_length", min);
        }
        if (max != null) {
            out.put(type == Type.INTEGER ? "max" : "max_length", max);
        }
        return out;
    }

    private Optional<String> urlProblem(String s) {
        if (max != null && s.length() > max) {
            return Optional.of("must be at most " + max + " characters");
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return Optional.of("must be an http(s) URL with a host");
            }
            if (uri.getUserInfo() != null) {
                return Optional.of("must not contain credentials");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("must be an http(s) URL with a host");
        }
    }

    /** A typed value, or why the input was refused. */
    public record Validated(
            @Nullable Object value, @Nullable String error) {
        static Validated ok(Object value) {
            return new Validated(value, null);
        }

        static Validated error(String error) {
            return new Validated(null, error);
        }
    }
}
