package io.modelmaestro.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code --name value} and {@code --flag} arguments; {@code --name=value} works too. Unknown names are an error. */
public final class Args {

    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    public Args(String[] args, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (flags.contains(name)) {
                value = "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    public @Nullable String get(String name) {
        used.add(name);
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    public String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    public List<String> all(String name) {
        used.add(name);
        return values.getOrDefault(name, List.of());
    }

    public int getInt(String name, int fallback) {
        String v = get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    public long getLong(String name, long fallback) {
        String v = get(name);
        return v == null ? fallback : Long.parseLong(v);
    }

    public double getDouble(String name, double fallback) {
        String v = get(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(get(name, "false"));
    }

    /** Fails on arguments nobody asked for (call after reading every option). */
    public void checkAllUsed() {
        for (String name : values.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
    }
}
