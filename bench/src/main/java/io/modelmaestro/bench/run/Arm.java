package io.modelmaestro.bench.run;

import io.modelmaestro.bench.load.Bodies;
import io.modelmaestro.bench.load.Endpoint;
import io.modelmaestro.bench.load.FrameFormat;
import io.modelmaestro.bench.load.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One thing the harness sends requests to, in front of the same mock: the mock itself ({@code direct}, and {@code
 * direct-2}, a second connection to it: the A/A noise band), nginx, the gateway (with and without activity logging),
 * Portkey. {@code processes} are whose CPU time and memory count for this arm.
 */
final class Arm {
    final String name;
    final String description;
    final Endpoint endpoint;
    final List<Map.Entry<String, String>> headers;
    final String model;
    final Supplier<List<Long>> processes;

    @Nullable
    JvmProbe jvm;

    Services.@Nullable Gateway gateway;

    Arm(
            String name,
            String description,
            Endpoint endpoint,
            List<Map.Entry<String, String>> headers,
            String model,
            Supplier<List<Long>> processes) {
        this.name = name;
        this.description = description;
        this.endpoint = endpoint;
        this.headers = List.copyOf(headers);
        this.model = model;
        this.processes = processes;
    }

    boolean isDirect() {
        return name.startsWith("direct");
    }

    /** A non-streaming chat completion; the mock answers 16 tokens at once. */
    Request unary() {
        return Request.post(
                "/v1/chat/completions", headers, Bodies.chat("openai", model, false, -1, -1, -1), FrameFormat.NONE);
    }

    Request stream(int chunks, int intervalMs, int ttftMs) {
        return Request.post(
                "/v1/chat/completions",
                headers,
                Bodies.chat("openai", model, true, chunks, intervalMs, ttftMs),
                FrameFormat.SSE_OPENAI);
    }

    long cpuMillis() {
        return ProcStats.cpuMillis(processes.get());
    }

    /** CPU time of the gateway's embedded PostgreSQL (all its processes), or 0 for other arms. */
    long databaseCpuMillis() {
        Services.Gateway gw = gateway;
        if (gw == null) {
            return 0;
        }
        long pg = ActivityDb.postmasterPid(gw.pgData());
        return pg > 0 ? ProcStats.cpuMillis(ProcStats.tree(pg)) : 0;
    }

    long rssKiB() {
        return ProcStats.rssKiB(processes.get());
    }

    static List<Map.Entry<String, String>> bearer(String token) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        h.add(Map.entry("Authorization", "Bearer " + token));
        return h;
    }

    @Override
    public String toString() {
        return name;
    }
}
