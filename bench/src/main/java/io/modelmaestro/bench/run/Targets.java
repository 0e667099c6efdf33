package io.modelmaestro.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The first targets, checked against a full run's figures (for the gateway as shipped: logging on). */
final class Targets {

    private Targets() {}

    static void evaluate(ObjectNode run) {
        ArrayNode t = run.putArray("targets");
        JsonNode gw = run.path("paired_c1").path("arms").path("gateway");
        add(
                t,
                "added p50, one request in flight",
                "≤ 0.5 ms",
                gw.path("added_p50_ms").path("median"),
                0.5,
                true,
                " ms");
        add(
                t,
                "added p99, one request in flight",
                "≤ 2 ms",
                gw.path("added_p99_ms").path("median"),
                2,
                true,
                " ms");

        JsonNode slo = run.path("slo_rate").path("arms");
        double g = slo.path("gateway").path("max_rate_per_s").asDouble(-1);
        double n = slo.path("nginx").path("max_rate_per_s").asDouble(-1);
        ObjectNode x = t.addObject();
        x.put("target", "throughput (highest rate with p99 ≤ 10 ms, no errors) ÷ nginx proxy");
        x.put("goal", "≥ 0.25");
        if (g > 0 && n > 0) {
            double ratio = g / n;
            x.put("value", Scenarios.round3(ratio));
            x.put("measured", String.format("%.2f (%.0f/s vs %.0f/s)", ratio, g, n));
            x.put("met", ratio >= 0.25);
        } else {
            x.put("measured", "not measured");
        }
        JsonNode c16 = run.path("throughput_c16").path("arms");
        double gc = c16.path("gateway").path("rps").asDouble(-1);
        double nc = c16.path("nginx").path("rps").asDouble(-1);
        if (gc > 0 && nc > 0) {
            ObjectNode y = t.addObject();
            y.put("target", "throughput at 16 connections (closed loop) ÷ nginx proxy");
            y.put("goal", "≥ 0.25");
            y.put("value", Scenarios.round3(gc / nc));
            y.put("measured", String.format("%.2f (%.0f/s vs %.0f/s)", gc / nc, gc, nc));
            y.put("met", gc / nc >= 0.25);
        }
        JsonNode st = run.path("streaming").path("arms").path("gateway");
        add(
                t,
                "added time to first token, p50",
                "≤ 1 ms",
                st.path("added_ttft_p50_ms").path("median"),
                1,
                true,
                " ms");
        add(
                t,
                "RSS with 500 concurrent streams",
                "≤ 300 MiB",
                run.path("memory").path("gateway_500_streams").path("rss_peak_mib"),
                300,
                true,
                " MiB");
        JsonNode capped = run.path("memory").path("gateway-xmx256m_500_streams").path("rss_peak_mib");
        if (!capped.isMissingNode()) {
            add(
                    t,
                    "RSS with 500 concurrent streams, same gateway with -Xmx256m",
                    "≤ 300 MiB",
                    capped,
                    300,
                    true,
                    " MiB");
        }
        JsonNode soak = run.path("soak");
        ObjectNode h = t.addObject();
        h.put("target", "heap after GC over the soak");
        h.put("goal", "flat (slope ≤ 0.5 MiB/min)");
        if (soak.has("heap_slope_mib_per_min")) {
            double slope = soak.path("heap_slope_mib_per_min").asDouble();
            h.put("value", slope);
            h.put(
                    "measured",
                    String.format(
                            "%+.2f MiB/min (%.1f → %.1f MiB over %.0f s)",
                            slope,
                            soak.path("heap_first_mib").asDouble(),
                            soak.path("heap_last_mib").asDouble(),
                            soak.path("seconds").asDouble()));
            h.put("met", slope <= 0.5);
        } else {
            h.put("measured", "not measured");
        }
        JsonNode act = run.path("activity");
        ObjectNode a = t.addObject();
        a.put("target", "activity events persisted per second");
        a.put("goal", "≥ 5,000");
        if (act.has("persisted_per_s_during_load")) {
            long eps = act.path("persisted_per_s_during_load").asLong();
            long rate = act.path("request_rate_per_s").asLong();
            a.put("value", eps);
            a.put(
                    "measured",
                    String.format(
                            "%,d/s while serving %,d requests/s (peak 1 s: %,d/s; parity %s)",
                            eps,
                            rate,
                            act.path("persisted_per_s_peak_1s").asLong(),
                            act.path("parity").asText()));
            a.put("met", eps >= 5000);
            if (eps < 5000 && eps >= 0.95 * rate) {
                a.put("note", "the sink kept up with every request; the gateway's own request rate is the limit here");
            }
        } else {
            a.put("measured", "not measured");
        }
        JsonNode cap = act.path("capacity");
        ObjectNode c = t.addObject();
        c.put("target", "activity events persisted per second, pipeline capacity (events offered into the queue)");
        c.put("goal", "≥ 5,000");
        if (cap.has("persisted_per_s")) {
            long eps = cap.path("persisted_per_s").asLong();
            c.put("value", eps);
            c.put(
                    "measured",
                    String.format(
                            "%,d/s (%,d events offered at %,d/s; peak 1 s: %,d/s; parity %s)",
                            eps,
                            cap.path("events").asLong(),
                            cap.path("offered_per_s").asLong(),
                            cap.path("persisted_per_s_peak_1s").asLong(),
                            cap.path("parity").asText()));
            c.put("met", eps >= 5000 && "exact".equals(cap.path("parity").asText()));
        } else {
            c.put("measured", "not measured");
        }
    }

    private static void add(
            ArrayNode t, String name, String goal, JsonNode value, double limit, boolean atMost, String unit) {
        ObjectNode x = t.addObject();
        x.put("target", name);
        x.put("goal", goal);
        if (value.isMissingNode() || value.isNull()) {
            x.put("measured", "not measured");
            return;
        }
        double v = value.asDouble();
        x.put("value", v);
        x.put("measured", String.format("%.3f%s", v, unit));
        x.put("met", atMost ? v <= limit : v >= limit);
    }
}
