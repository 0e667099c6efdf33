package io.modelmaestro.bench.load;

import io.modelmaestro.bench.Args;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code load --port P [--path /v1/chat/completions] [--header 'name: value']... [--model M] [--stream]
 * [--format openai|anthropic|ollama] [--chunks N] [--interval-ms N] [--ttft-ms N] [--rate R | --connections N]
 * [--duration-s 10] [--warmup-s 2] [--timeout-s 30] [--max-connections 256] [--threads 1]}: one load run against a
 * loopback port, printed as one line. {@code --rate} is open loop (latency from the intended send time);
 * {@code --connections} is closed loop.
 */
public final class LoadMain {

    private LoadMain() {}

    public static void main(String[] argv) {
        Args a = new Args(argv, Set.of("stream"));
        Endpoint ep = new Endpoint(a.get("host", "127.0.0.1"), a.getInt("port", 0));
        String format = a.get("format", "openai");
        boolean stream = a.flag("stream");
        String path = a.get(
                "path",
                switch (format) {
                    case "anthropic" -> "/v1/messages";
                    case "ollama" -> "/api/chat";
                    default -> "/v1/chat/completions";
                });
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String h : a.all("header")) {
            int c = h.indexOf(':');
            headers.add(Map.entry(h.substring(0, c).strip(), h.substring(c + 1).strip()));
        }
        String body = Bodies.chat(
                format,
                a.get("model", "mock-model"),
                stream,
                a.getInt("chunks", -1),
                a.getInt("interval-ms", -1),
                a.getInt("ttft-ms", -1));
        FrameFormat frames = !stream
                ? FrameFormat.NONE
                : switch (format) {
                    case "anthropic" -> FrameFormat.SSE_ANTHROPIC;
                    case "ollama" -> FrameFormat.NDJSON_OLLAMA;
                    default -> FrameFormat.SSE_OPENAI;
                };
        Request req = Request.post(path, headers, body, frames);
        double rate = a.getDouble("rate", 0);
        int connections = a.getInt("connections", 0);
        long duration = TimeUnit.SECONDS.toNanos(a.getLong("duration-s", 10));
        long warmup = TimeUnit.SECONDS.toNanos(a.getLong("warmup-s", 2));
        long timeout = TimeUnit.SECONDS.toNanos(a.getLong("timeout-s", 30));
        int maxConnections = a.getInt("max-connections", 256);
        int threads = a.getInt("threads", 1);
        a.checkAllUsed();
        try (LoadClient client = new LoadClient(threads)) {
            LoadResult r;
            if (rate > 0) {
                r = OpenLoop.run(client, ep, i -> req, rate, duration, warmup, maxConnections, timeout);
                System.out.println("open loop " + rate + "/s: " + r);
            } else {
                r = ClosedLoop.run(client, ep, i -> req, Math.max(1, connections), duration, warmup, timeout);
                System.out.println("closed loop " + Math.max(1, connections) + " connections: " + r);
            }
        }
    }
}
