package io.modelmaestro.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSupportTest {

    @Test
    void cpuTicksAreFields14And15EvenWithSpacesInTheName() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";
        assertThat(ProcStats.parseCpuTicks(stat)).isEqualTo(1234 + 56);
    }

    @Test
    void readsThisProcessFromProc() {
        long self = ProcessHandle.current().pid();
        assertThat(ProcStats.rssKiB(self)).isGreaterThan(1024);
        assertThat(ProcStats.cpuMillis(self)).isGreaterThan(0);
        assertThat(ProcStats.rssKiB(Long.MAX_VALUE)).isEqualTo(-1);
    }

    private static JsonNode quick(double p50, double p99, long alloc) {
        ObjectNode q = Json.object();
        q.put("added_p50_ms", p50);
        q.put("added_p99_ms", p99);
        q.put("alloc_bytes_per_request", alloc);
        q.put("errors", 0);
        q.put("streams_exact", true);
        return q;
    }

    @Test
    void baselinePassesWithinTwiceAndFailsBeyond() {
        JsonNode base = quick(0.3, 1.0, 40_000);
        assertThat(Baseline.compare(quick(0.59, 1.9, 79_000), base, new ArrayList<>())
                        .failed())
                .isFalse();
        Baseline.Verdict slow = Baseline.compare(quick(0.61, 1.0, 40_000), base, new ArrayList<>());
        assertThat(slow.failed()).isTrue();
        assertThat(slow.latencyOnly()).isTrue();
        Baseline.Verdict alloc = Baseline.compare(quick(0.3, 1.0, 80_001), base, new ArrayList<>());
        assertThat(alloc.failed()).isTrue();
        assertThat(alloc.latencyOnly()).isFalse();
    }

    @Test
    void aTinyBaselineGetsAnAbsoluteSlack() {
        JsonNode base = quick(0.02, 0.1, 1000);
        // 0.11 ms is > 2 × 0.02 ms but within 0.02 + 0.1 ms: timer jitter, not a regression.
        assertThat(Baseline.compare(quick(0.11, 0.59, 1000), base, new ArrayList<>())
                        .failed())
                .isFalse();
        assertThat(Baseline.compare(quick(0.13, 0.1, 1000), base, new ArrayList<>())
                        .failed())
                .isTrue();
    }

    @Test
    void errorsAndMissingFiguresFail() {
        List<String> problems = new ArrayList<>();
        ObjectNode q = (ObjectNode) quick(0.3, 1.0, 40_000);
        q.remove("added_p99_ms");
        assertThat(Baseline.compare(q, quick(0.3, 1.0, 40_000), problems).failed())
                .isTrue();
        assertThat(problems).containsExactly("added_p99_ms was not measured");
    }

    @Test
    void metricsTakeTheBestPairedAttempt() {
        ObjectNode run = Json.object();
        run.set(
                "paired_c1",
                Json.parse(
                        "{\"arms\":{\"gateway\":{\"added_p50_ms\":{\"median\":0.9},\"added_p99_ms\":{\"median\":3.0},\"errors\":0}}}"));
        Baseline.keepBetter(
                run,
                (ObjectNode)
                        Json.parse(
                                "{\"arms\":{\"gateway\":{\"added_p50_ms\":{\"median\":0.4},\"added_p99_ms\":{\"median\":4.0},\"errors\":0}}}"));
        ObjectNode m = Baseline.metrics(run);
        assertThat(m.path("added_p50_ms").asDouble()).isEqualTo(0.4);
        assertThat(m.path("added_p99_ms").asDouble()).isEqualTo(3.0);
    }

    @Test
    void targetsAreJudgedFromTheFigures() {
        ObjectNode run = (ObjectNode) Json.parse("""
                {"paired_c1":{"arms":{"gateway":{"added_p50_ms":{"median":0.4},"added_p99_ms":{"median":2.5}}}},
                 "slo_rate":{"arms":{"gateway":{"max_rate_per_s":3000},"nginx":{"max_rate_per_s":10000}}},
                 "activity":{"persisted_per_s_during_load":4000,"request_rate_per_s":4100,"persisted_per_s_peak_1s":4500,"parity":"exact",
                   "capacity":{"events":100000,"offered_per_s":20000,"offered_s":5.0,"persisted_per_s":6800,
                     "persisted_per_s_peak_1s":10000,"seconds_to_last_row":14.7,"dropped_by_producer":0,"parity":"exact"}}}
                """);
        Targets.evaluate(run);
        JsonNode t = run.path("targets");
        assertThat(t.get(0).path("met").asBoolean()).isTrue();
        assertThat(t.get(1).path("met").asBoolean()).isFalse();
        assertThat(t.get(2).path("value").asDouble()).isEqualTo(0.3);
        assertThat(t.get(2).path("met").asBoolean()).isTrue();
        JsonNode events = t.get(t.size() - 2);
        assertThat(events.path("met").asBoolean()).isFalse();
        assertThat(events.path("note").asText()).contains("request rate is the limit");
        JsonNode capacity = t.get(t.size() - 1);
        assertThat(capacity.path("target").asText()).contains("pipeline capacity");
        assertThat(capacity.path("value").asLong()).isEqualTo(6800);
        assertThat(capacity.path("met").asBoolean()).isTrue();
        String md = Report.markdown(run);
        assertThat(md).contains("| added p99, one request in flight | ≤ 2 ms | 2.500 ms | **no** |");
        assertThat(md).contains("| 100,000 | 5.00 | 6,800 | 10,000 | 14.70 | 0 | exact |");

        // A run that lost events does not meet the target, however fast it was.
        ((ObjectNode) run.path("activity").path("capacity")).put("parity", "99000 rows for 100000 events");
        Targets.evaluate(run);
        JsonNode lossy = run.path("targets").get(run.path("targets").size() - 1);
        assertThat(lossy.path("met").asBoolean()).isFalse();
    }
}
