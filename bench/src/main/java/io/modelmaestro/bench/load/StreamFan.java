package io.modelmaestro.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Many concurrent streams: {@code n} connections opened over {@code rampNs}, one streamed request each. */
public final class StreamFan {

    private StreamFan() {}

    public static List<Exchange> run(
            LoadClient client, Endpoint endpoint, IntFunction<Request> requests, int n, long rampNs, long timeoutNs) {
        List<CompletableFuture<Exchange>> all = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = t0 + (n <= 1 ? 0 : rampNs * i / (n - 1));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int idx = i;
            CompletableFuture<Exchange> f = client.connect(endpoint, client.nextLoop())
                    .thenCompose(conn -> conn.call(requests.apply(idx), timeoutNs, true)
                            .whenComplete((ex, e) -> conn.loop().execute(conn::close)));
            all.add(f);
        }
        List<Exchange> out = new ArrayList<>(n);
        for (CompletableFuture<Exchange> f : all) {
            try {
                out.add(f.get(rampNs + 2 * timeoutNs, TimeUnit.NANOSECONDS));
            } catch (Exception e) {
                Exchange failed = new Exchange(requests.apply(0), 0, false);
                failed.error = "stream failed: " + e;
                out.add(failed);
            }
        }
        return out;
    }
}
