package io.modelmaestro.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The quick run's regression gate against docs/benchmarks/baseline.json. It fails when the gateway's added latency at
 * one request in flight (p50 or p99) or its allocation per request is more than 2× the baseline, when any request
 * failed, or when a stream lost or changed a frame. Latency limits also allow a small absolute slack (0.1 ms on p50,
 * 0.5 ms on p99) so that a sub-millisecond baseline does not turn timer jitter into a failure; allocation, being a
 * count of bytes, gets none. CPU per request and added TTFT are reported, not gated.
 */
final class Baseline {

    static final double P50_SLACK_MS = 0.1;
    static final double P99_SLACK_MS = 0.5;

    private Baseline() {}

    /** The quick figures, taken from a run's JSON (the best of the paired attempts). */
    static ObjectNode metrics(JsonNode run) {
        ObjectNode q = Json.object();
        double p50 = Double.MAX_VALUE;
        double p99 = Double.MAX_VALUE;
        List<JsonNode> attempts = new ArrayList<>();
        attempts.add(run.path("paired_c1"));
        run.path("paired_c1_retries").forEach(attempts::add);
        for (JsonNode a : attempts) {
            JsonNode gw = a.path("arms").path("gateway");
            if (gw.has("added_p50_ms")) {
                p50 = Math.min(p50, gw.path("added_p50_ms").path("median").asDouble());
                p99 = Math.min(p99, gw.path("added_p99_ms").path("median").asDouble());
            }
        }
        if (p50 != Double.MAX_VALUE) {
            q.put("added_p50_ms", p50);
            q.put("added_p99_ms", p99);
        }
        JsonNode aa = run.path("paired_c1")
                .path("arms")
                .path("direct-2")
                .path("added_p50_ms")
                .path("median");
        if (!aa.isMissingNode()) {
            q.put("aa_noise_p50_ms", aa.asDouble());
        }
        JsonNode load = run.path("under_load").path("arms").path("gateway");
        if (load.has("alloc_bytes_per_request")) {
            q.put(
                    "alloc_bytes_per_request",
                    load.path("alloc_bytes_per_request").asLong());
        }
        if (load.has("cpu_us_per_request")) {
            q.put("cpu_us_per_request", load.path("cpu_us_per_request").asDouble());
        }
        JsonNode st = run.path("streaming").path("arms").path("gateway");
        if (st.has("added_ttft_p50_ms")) {
            q.put(
                    "added_ttft_p50_ms",
                    st.path("added_ttft_p50_ms").path("median").asDouble());
        }
        long errors = 0;
        for (String phase : List.of("paired_c1", "under_load", "streaming")) {
            for (JsonNode arm : run.path(phase).path("arms")) {
                errors += arm.path("errors").asLong(0);
            }
        }
        q.put("errors", errors);
        boolean exact = true;
        for (JsonNode arm : run.path("streaming").path("arms")) {
            exact &= arm.path("exact_streams").asLong(-1) == arm.path("streams").asLong(-2);
        }
        q.put("streams_exact", exact);
        return q;
    }

    /** Keeps a repeated paired phase beside the first; {@link #metrics} takes the best of them. */
    static void keepBetter(ObjectNode run, ObjectNode again) {
        ArrayNode retries = run.has("paired_c1_retries")
                ? (ArrayNode) run.get("paired_c1_retries")
                : run.putArray("paired_c1_retries");
        retries.add(again);
    }

    record Check(String metric, double value, double baseline, double limit, boolean gated, boolean ok) {}

    record Verdict(
            List<Check> checks,
            List<String> problems,
            @Nullable String note) {
        boolean failed() {
            return !problems.isEmpty() || checks.stream().anyMatch(c -> c.gated && !c.ok);
        }

        /** Failed only on latency (which a second measurement may clear), not on allocation or correctness. */
        boolean latencyOnly() {
            return failed()
                    && problems.isEmpty()
                    && checks.stream().filter(c -> c.gated && !c.ok).allMatch(c -> c.metric.startsWith("added_p"));
        }

        ObjectNode toJson() {
            ObjectNode n = Json.object();
            n.put("failed", failed());
            ArrayNode a = n.putArray("checks");
            for (Check c : checks) {
                ObjectNode x = a.addObject();
                x.put("metric", c.metric);
                x.put("value", c.value);
                x.put("baseline", c.baseline);
                x.put("limit", c.limit);
                x.put("gated", c.gated);
                x.put("ok", c.ok);
            }
            ArrayNode p = n.putArray("problems");
            problems.forEach(p::add);
            if (note != null) {
                n.put("note", note);
            }
            return n;
        }

        String report() {
            StringBuilder sb = new StringBuilder("quick benchmark vs baseline:\n");
            for (Check c : checks) {
                sb.append(String.format(
                        "  %-26s %12.3f  baseline %12.3f  limit %12.3f  %s%n",
                        c.metric, c.value, c.baseline, c.limit, !c.gated ? "(reported)" : c.ok ? "ok" : "FAIL"));
            }
            problems.forEach(p -> sb.append("  FAIL ").append(p).append('\n'));
            if (note != null) {
                sb.append("  ").append(note).append('\n');
            }
            sb.append(failed() ? "RESULT: FAIL" : "RESULT: ok");
            return sb.toString();
        }
    }

    static Verdict compare(JsonNode q, @Nullable Path baselineFile) throws Exception {
        List<String> problems = new ArrayList<>();
        if (q.path("errors").asLong() > 0) {
            problems.add(q.path("errors").asLong() + " requests failed");
        }
        if (!q.path("streams_exact").asBoolean(false)) {
            problems.add("a stream lost, added or changed content frames");
        }
        if (baselineFile == null || !Files.exists(baselineFile)) {
            return new Verdict(List.of(), problems, "no baseline to compare with");
        }
        JsonNode b = Json.parse(Files.readAllBytes(baselineFile));
        return compare(q, b, problems);
    }

    static Verdict compare(JsonNode q, JsonNode b, List<String> problems) {
        List<Check> checks = new ArrayList<>();
        latency(checks, problems, q, b, "added_p50_ms", P50_SLACK_MS);
        latency(checks, problems, q, b, "added_p99_ms", P99_SLACK_MS);
        if (q.has("alloc_bytes_per_request") && b.has("alloc_bytes_per_request")) {
            double v = q.path("alloc_bytes_per_request").asDouble();
            double base = b.path("alloc_bytes_per_request").asDouble();
            checks.add(new Check("alloc_bytes_per_request", v, base, 2 * base, true, v <= 2 * base));
        } else {
            problems.add("allocation per request was not measured");
        }
        for (String reported : List.of("cpu_us_per_request", "added_ttft_p50_ms", "aa_noise_p50_ms")) {
            if (q.has(reported) && b.has(reported)) {
                double v = q.path(reported).asDouble();
                double base = b.path(reported).asDouble();
                checks.add(new Check(reported, v, base, Double.NaN, false, true));
            }
        }
        return new Verdict(checks, problems, null);
    }

    private static void latency(
            List<Check> checks, List<String> problems, JsonNode q, JsonNode b, String metric, double slack) {
        if (!b.has(metric)) {
            return;
        }
        if (!q.has(metric)) {
            problems.add(metric + " was not measured");
            return;
        }
        double v = q.path(metric).asDouble();
        double base = b.path(metric).asDouble();
        double limit = Math.max(2 * Math.max(base, 0), Math.max(base, 0) + slack);
        checks.add(new Check(metric, v, base, limit, true, v <= limit));
    }
}
