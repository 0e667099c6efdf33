package io.modelmaestro.bench.load;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Open-loop load at a fixed rate: request {@code i} is due at {@code t0 + i / rate}, whatever happened to earlier ones,
 * and its latency is measured from that intended time. A request that had to wait (every connection busy, or the
 * timer fired late) carries the wait in its latency: no coordinated omission. Connections are opened on demand up to
 * {@code maxConnections}; beyond that, due requests queue (and their latency grows, as a user's would).
 *
 * <p>Everything runs on one event loop, so the schedule's state needs no locks.
 */
public final class OpenLoop {

    private final LoadClient client;
    private final Endpoint endpoint;
    private final IntFunction<Request> requests;
    private final long periodNs;
    private final long total;
    private final long warmupNs;
    private final long durationNs;
    private final int maxConnections;
    private final long timeoutNs;
    private final EventLoop loop;
    private final ArrayDeque<HttpConn> idle = new ArrayDeque<>();
    private final List<HttpConn> all = new ArrayList<>();
    private final ArrayDeque<long[]> pending = new ArrayDeque<>();
    private final LoadResult result = new LoadResult();
    private final CompletableFuture<LoadResult> done = new CompletableFuture<>();
    private long t0;
    private long next;
    private int open;
    private int connecting;
    private int inFlight;
    private int peakConnections;

    private OpenLoop(
            LoadClient client,
            Endpoint endpoint,
            IntFunction<Request> requests,
            double rate,
            long durationNs,
            long warmupNs,
            int maxConnections,
            long timeoutNs) {
        if (rate <= 0 || durationNs <= warmupNs) {
            throw new IllegalArgumentException("need a positive rate and a duration longer than the warm-up");
        }
        this.client = client;
        this.endpoint = endpoint;
        this.requests = requests;
        this.periodNs = Math.max(1, Math.round(1e9 / rate));
        this.total = durationNs / periodNs;
        this.durationNs = durationNs;
        this.warmupNs = warmupNs;
        this.maxConnections = maxConnections;
        this.timeoutNs = timeoutNs;
        this.loop = client.nextLoop();
        result.targetRate = rate;
    }

    /**
     * Runs {@code rate} requests per second for {@code durationNs}; the first {@code warmupNs} are sent but not
     * measured. Returns when every request has ended.
     */
    public static LoadResult run(
            LoadClient client,
            Endpoint endpoint,
            IntFunction<Request> requests,
            double rate,
            long durationNs,
            long warmupNs,
            int maxConnections,
            long timeoutNs) {
        OpenLoop run = new OpenLoop(client, endpoint, requests, rate, durationNs, warmupNs, maxConnections, timeoutNs);
        run.loop.execute(run::start);
        long waitNs = durationNs + 2 * timeoutNs + TimeUnit.SECONDS.toNanos(10);
        return run.done.orTimeout(waitNs, TimeUnit.NANOSECONDS).join();
    }

    /** Intended send time of request {@code i}. */
    long intended(long i) {
        return t0 + i * periodNs;
    }

    private void start() {
        t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        result.windowNs = durationNs - warmupNs;
        tick();
    }

    private void tick() {
        long now = System.nanoTime();
        while (next < total && intended(next) <= now) {
            pending.add(new long[] {next, intended(next)});
            next++;
        }
        pump();
        if (next < total) {
            loop.schedule(this::tick, intended(next) - System.nanoTime(), TimeUnit.NANOSECONDS);
        } else {
            checkDone();
        }
    }

    private void pump() {
        while (!pending.isEmpty()) {
            HttpConn conn = takeIdle();
            if (conn == null) {
                if (open + connecting < maxConnections) {
                    openOne();
                }
                return;
            }
            long[] p = pending.poll();
            fire(conn, (int) p[0], p[1]);
        }
    }

    private @Nullable HttpConn takeIdle() {
        while (!idle.isEmpty()) {
            HttpConn c = idle.poll();
            if (c.usable()) {
                return c;
            }
            open--;
            c.close();
        }
        return null;
    }

    private void openOne() {
        connecting++;
        client.connect(endpoint, loop)
                .whenComplete((conn, error) -> loop.execute(() -> {
                    connecting--;
                    if (error != null) {
                        long[] p = pending.poll();
                        if (p != null) {
                            Exchange failed = new Exchange(requests.apply((int) p[0]), p[1], false);
                            failed.sentNs = System.nanoTime();
                            failed.endNs = failed.sentNs;
                            failed.error = "connect failed: " + error.getMessage();
                            measure(failed);
                        }
                    } else {
                        open++;
                        all.add(conn);
                        peakConnections = Math.max(peakConnections, open);
                        idle.add(conn);
                    }
                    pump();
                    checkDone();
                }));
    }

    private void fire(HttpConn conn, int i, long intendedNs) {
        inFlight++;
        conn.send(requests.apply(i), intendedNs, timeoutNs, false, ex -> {
            inFlight--;
            measure(ex);
            if (conn.usable()) {
                idle.add(conn);
            } else {
                open--;
                conn.close();
            }
            pump();
            checkDone();
        });
    }

    private void measure(Exchange ex) {
        result.count(ex);
        if (ex.intendedNs() - t0 >= warmupNs) {
            result.record(ex, true);
        }
    }

    private void checkDone() {
        if (next >= total && pending.isEmpty() && inFlight == 0 && connecting == 0 && !done.isDone()) {
            for (HttpConn c : all) {
                c.close();
            }
            result.connections = peakConnections;
            done.complete(result);
        }
    }
}
