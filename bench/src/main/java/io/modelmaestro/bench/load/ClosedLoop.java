package io.modelmaestro.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Closed-loop load: {@code connections} connections, each sending its next request as soon as the previous answer
 * ended, for a fixed time. Measures throughput at a fixed concurrency; its latencies are service times (a closed loop
 * cannot say what a user arriving at a fixed rate would have waited — use {@link OpenLoop} for that).
 */
public final class ClosedLoop {

    private ClosedLoop() {}

    public static LoadResult run(
            LoadClient client,
            Endpoint endpoint,
            IntFunction<Request> requests,
            int connections,
            long durationNs,
            long warmupNs,
            long timeoutNs) {
        return run(client, endpoint, requests, connections, durationNs, warmupNs, timeoutNs, new LongAdder());
    }

    /** As above; {@code progress} counts answers as they end (for a caller sampling while the load runs). */
    public static LoadResult run(
            LoadClient client,
            Endpoint endpoint,
            IntFunction<Request> requests,
            int connections,
            long durationNs,
            long warmupNs,
            long timeoutNs,
            LongAdder progress) {
        if (durationNs <= warmupNs) {
            throw new IllegalArgumentException("the duration must be longer than the warm-up");
        }
        List<HttpConn> conns = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            conns.add(client.connectSync(endpoint));
        }
        AtomicInteger index = new AtomicInteger();
        long t0 = System.nanoTime();
        long measureFrom = t0 + warmupNs;
        long end = t0 + durationNs;
        List<CompletableFuture<LoadResult>> parts = new ArrayList<>();
        for (HttpConn conn : conns) {
            CompletableFuture<LoadResult> part = new CompletableFuture<>();
            parts.add(part);
            LoadResult mine = new LoadResult();
            conn.loop().execute(() -> loop(conn, requests, index, measureFrom, end, timeoutNs, mine, part, progress));
        }
        LoadResult total = new LoadResult();
        for (CompletableFuture<LoadResult> p : parts) {
            total.add(p.orTimeout(durationNs + 2 * timeoutNs + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS)
                    .join());
        }
        for (HttpConn c : conns) {
            c.loop().execute(c::close);
        }
        total.windowNs = durationNs - warmupNs;
        total.connections = connections;
        return total;
    }

    private static void loop(
            HttpConn conn,
            IntFunction<Request> requests,
            AtomicInteger index,
            long measureFrom,
            long end,
            long timeoutNs,
            LoadResult mine,
            CompletableFuture<LoadResult> part,
            LongAdder progress) {
        if (System.nanoTime() >= end || !conn.usable()) {
            part.complete(mine);
            return;
        }
        long now = System.nanoTime();
        conn.send(requests.apply(index.getAndIncrement()), now, timeoutNs, false, ex -> {
            progress.increment();
            mine.count(ex);
            if (ex.sentNs() >= measureFrom && ex.sentNs() < end) {
                mine.record(ex, false);
            }
            loop(conn, requests, index, measureFrom, end, timeoutNs, mine, part, progress);
        });
    }
}
