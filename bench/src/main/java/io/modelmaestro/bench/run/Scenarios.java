package io.modelmaestro.bench.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmaestro.bench.load.ClosedLoop;
import io.modelmaestro.bench.load.Exchange;
import io.modelmaestro.bench.load.FrameScanner;
import io.modelmaestro.bench.load.HttpConn;
import io.modelmaestro.bench.load.LoadClient;
import io.modelmaestro.bench.load.LoadResult;
import io.modelmaestro.bench.load.OpenLoop;
import io.modelmaestro.bench.load.Request;
import io.modelmaestro.bench.load.Stats;
import io.modelmaestro.bench.load.StreamFan;
import io.modelmaestro.bench.mock.MockFormat;
import io.modelmaestro.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * The measurements. Each returns a JSON object for results.json; every latency figure is a difference against the
 * direct call measured in the same run (per paired round where the method allows), so the machine's noise cancels.
 */
final class Scenarios {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final long UNARY_TIMEOUT = 10 * SECOND;

    private final LoadClient client;
    private final Random random;
    private final Noise noise;

    Scenarios(LoadClient client, long seed, Noise noise) {
        this.client = client;
        this.random = new Random(seed);
        this.noise = noise;
    }

    static double ms(long ns) {
        return ns / 1e6;
    }

    static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static ObjectNode summary(Stats.Summary s) {
        ObjectNode n = Json.object();
        n.put("median", round3(s.median()));
        n.put("q1", round3(s.q1()));
        n.put("q3", round3(s.q3()));
        n.put("rounds", s.n());
        return n;
    }

    /**
     * JIT warm-up: a few streams, then a closed loop at 4 connections (every fourth request a short stream). Nothing is
     * measured. For a JVM arm, the closed loop goes on in 5-s slices (up to {@code seconds} in all) until at least
     * 10,000 requests were served and the JIT compilers spent under a quarter of a core during the last slice:
     * measuring while the compiler still works on the hot paths is measuring the compiler.
     */
    void warmUp(Arm arm, long seconds, int streams) throws Exception {
        if (streams > 0) {
            List<Exchange> s =
                    StreamFan.run(client, arm.endpoint, i -> arm.stream(8, 0, 0), streams, SECOND, 30 * SECOND);
            long bad = s.stream().filter(e -> !e.ok()).count();
            if (bad > 0) {
                log("  warm-up " + arm + ": " + bad + " of " + streams + " streams failed");
            }
        }
        JvmProbe jvm = arm.jvm;
        if (jvm == null) {
            LoadResult r =
                    ClosedLoop.run(client, arm.endpoint, i -> arm.unary(), 4, seconds * SECOND, 0, UNARY_TIMEOUT);
            log("  warm-up " + arm + ": " + r);
            return;
        }
        long deadline = System.nanoTime() + seconds * SECOND;
        long served = 0;
        while (true) {
            long jit0 = jvm.compilationMillis();
            // Every fourth request a short stream: the streaming path (SSE relay, per-chunk translation) is as hot
            // as the unary one when the TTFT is measured.
            LoadResult r = ClosedLoop.run(
                    client,
                    arm.endpoint,
                    i -> i % 4 == 3 ? arm.stream(8, 0, 0) : arm.unary(),
                    4,
                    5 * SECOND,
                    0,
                    UNARY_TIMEOUT);
            long jit = jvm.compilationMillis() - jit0;
            served += r.allSent();
            log("  warm-up " + arm + ": " + r + " (JIT " + jit + " ms in this slice)");
            // Warm means the JIT has caught up: under a quarter of a core compiling over the last slice. A C2 compiler
            // thread on a 2-core machine otherwise takes half the CPU from whatever is measured next.
            if ((served >= 10_000 && jit < 5 * 1000 / 4) || System.nanoTime() > deadline) {
                return;
            }
        }
    }

    /**
     * Added latency at one request in flight: {@code rounds} rounds; in each, {@code perRound} times, one request to
     * every arm in a fresh random order, each on its own warm connection. Per round and arm: p50 and p99; the added
     * figure is the median over rounds of (arm − direct).
     */
    ObjectNode pairedUnary(List<Arm> arms, int rounds, int perRound) {
        PerArm<HttpConn> conns = connect();
        PerArm<double[]> p50 = new PerArm<>(a -> new double[rounds]);
        PerArm<double[]> p99 = new PerArm<>(a -> new double[rounds]);
        PerArm<List<Long>> pooled = new PerArm<>(a -> new ArrayList<>());
        PerArm<int[]> errors = new PerArm<>(a -> new int[1]);
        List<Arm> order = new ArrayList<>(arms);
        double[] othersPerRound = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Noise.Mark mark = noise.mark();
            PerArm<long[]> samples = new PerArm<>(a -> new long[perRound]);
            PerArm<int[]> counts = new PerArm<>(a -> new int[1]);
            for (int i = 0; i < perRound; i++) {
                Collections.shuffle(order, random);
                for (Arm a : order) {
                    Exchange ex = call(conns, a, a.unary());
                    if (ex.ok()) {
                        samples.get(a)[counts.get(a)[0]++] = ex.serviceNs();
                        pooled.get(a).add(ex.serviceNs());
                    } else {
                        errors.get(a)[0]++;
                    }
                }
            }
            othersPerRound[r] = noise.othersCores(mark);
            for (Arm a : arms) {
                long[] s = java.util.Arrays.copyOf(samples.get(a), Math.max(1, counts.get(a)[0]));
                p50.get(a)[r] = ms(Stats.percentile(s, 50));
                p99.get(a)[r] = ms(Stats.percentile(s, 99));
            }
        }
        close(conns);
        Arm direct = arms.get(0);
        ObjectNode out = Json.object();
        out.put("rounds", rounds);
        out.put("requests_per_round_per_arm", perRound);
        out.put("others_cpu_cores_median", round3(Stats.median(othersPerRound)));
        ObjectNode per = out.putObject("arms");
        for (Arm a : arms) {
            ObjectNode n = per.putObject(a.name);
            long[] all = pooled.get(a).stream().mapToLong(Long::longValue).toArray();
            long[] base = pooled.get(direct).stream().mapToLong(Long::longValue).toArray();
            n.put("p50_ms", round3(Stats.median(p50.get(a))));
            n.put("p99_ms", round3(Stats.median(p99.get(a))));
            n.put("errors", errors.get(a)[0]);
            if (a != direct && all.length > 0 && base.length > 0) {
                n.set("added_p50_ms", summary(Stats.pairedDelta(p50.get(a), p50.get(direct))));
                n.set("added_p99_ms", summary(Stats.pairedDelta(p99.get(a), p99.get(direct))));
                n.put("pooled_added_p50_ms", round3(ms(Stats.percentile(all, 50) - Stats.percentile(base, 50))));
                n.put("pooled_added_p99_ms", round3(ms(Stats.percentile(all, 99) - Stats.percentile(base, 99))));
            }
        }
        return out;
    }

    /**
     * Streaming at one stream in flight, paired like {@link #pairedUnary}: time to the first content frame (TTFT),
     * per-frame transit (arrival minus the mock's emit stamp), inter-frame gaps, and whether every stream arrived
     * with exactly the frames and text the mock sent.
     */
    ObjectNode pairedStreams(List<Arm> arms, int rounds, int perRound, int chunks, int intervalMs) {
        PerArm<HttpConn> conns = connect();
        PerArm<double[]> ttftP50 = new PerArm<>(a -> new double[rounds]);
        PerArm<List<Long>> ttfts = new PerArm<>(a -> new ArrayList<>());
        PerArm<Histogram> transit = new PerArm<>(a -> LoadResult.histogram());
        PerArm<Histogram> gaps = new PerArm<>(a -> LoadResult.histogram());
        PerArm<int[]> exact = new PerArm<>(a -> new int[2]);
        PerArm<List<String>> firstProblem = new PerArm<>(a -> new ArrayList<>());
        String expected = MockFormat.text(chunks);
        List<Arm> order = new ArrayList<>(arms);
        for (int r = 0; r < rounds; r++) {
            PerArm<List<Long>> roundTtft = new PerArm<>(a -> new ArrayList<>());
            for (int i = 0; i < perRound; i++) {
                Collections.shuffle(order, random);
                for (Arm a : order) {
                    Exchange ex = callStream(conns, a, a.stream(chunks, intervalMs, 0));
                    FrameScanner f = ex.frames();
                    exact.get(a)[1]++;
                    boolean good = ex.ok()
                            && f != null
                            && f.contentFrames() == chunks
                            && f.text().equals(expected);
                    if (good) {
                        exact.get(a)[0]++;
                    } else if (firstProblem.get(a).isEmpty()) {
                        firstProblem
                                .get(a)
                                .add(
                                        ex.ok() && f != null
                                                ? "frames " + f.contentFrames() + " of " + chunks + ", text "
                                                        + (f.text().equals(expected) ? "equal" : "different")
                                                : ex.describeError());
                    }
                    if (f == null || f.contentFrames() == 0) {
                        continue;
                    }
                    long ttft = ex.ttftNs();
                    roundTtft.get(a).add(ttft);
                    ttfts.get(a).add(ttft);
                    long[] arrivals = f.arrivals();
                    long[] stamps = f.stamps();
                    for (int k = 0; k < arrivals.length; k++) {
                        if (stamps[k] > 0 && arrivals[k] >= stamps[k]) {
                            transit.get(a).recordValue(Math.min(arrivals[k] - stamps[k], LoadResult.HIGHEST_NS));
                        }
                        if (k > 0) {
                            gaps.get(a).recordValue(Math.min(arrivals[k] - arrivals[k - 1], LoadResult.HIGHEST_NS));
                        }
                    }
                }
            }
            for (Arm a : arms) {
                long[] t = roundTtft.get(a).stream().mapToLong(Long::longValue).toArray();
                ttftP50.get(a)[r] = t.length == 0 ? Double.NaN : ms(Stats.percentile(t, 50));
            }
        }
        close(conns);
        Arm direct = arms.get(0);
        ObjectNode out = Json.object();
        out.put("rounds", rounds);
        out.put("streams_per_round_per_arm", perRound);
        out.put("chunks", chunks);
        out.put("interval_ms", intervalMs);
        ObjectNode per = out.putObject("arms");
        for (Arm a : arms) {
            ObjectNode n = per.putObject(a.name);
            long[] t = ttfts.get(a).stream().mapToLong(Long::longValue).toArray();
            long[] base = ttfts.get(direct).stream().mapToLong(Long::longValue).toArray();
            n.put("streams", exact.get(a)[1]);
            n.put("exact_streams", exact.get(a)[0]);
            if (!firstProblem.get(a).isEmpty()) {
                n.put("first_problem", firstProblem.get(a).get(0));
            }
            if (t.length == 0) {
                continue;
            }
            n.put("ttft_p50_ms", round3(ms(Stats.percentile(t, 50))));
            n.put("ttft_p99_ms", round3(ms(Stats.percentile(t, 99))));
            Histogram tr = transit.get(a);
            Histogram g = gaps.get(a);
            if (tr.getTotalCount() > 0) {
                n.put("frame_transit_p50_ms", round3(ms(tr.getValueAtPercentile(50))));
                n.put("frame_transit_p99_ms", round3(ms(tr.getValueAtPercentile(99))));
            }
            if (g.getTotalCount() > 0) {
                n.put("gap_p50_ms", round3(ms(g.getValueAtPercentile(50))));
                n.put("gap_p99_ms", round3(ms(g.getValueAtPercentile(99))));
            }
            if (a != direct && base.length > 0 && !hasNaN(ttftP50.get(a)) && !hasNaN(ttftP50.get(direct))) {
                n.set("added_ttft_p50_ms", summary(Stats.pairedDelta(ttftP50.get(a), ttftP50.get(direct))));
                n.put("added_ttft_p99_ms", round3(ms(Stats.percentile(t, 99) - Stats.percentile(base, 99))));
                Histogram dtr = transit.get(direct);
                if (tr.getTotalCount() > 0 && dtr.getTotalCount() > 0) {
                    n.put(
                            "added_frame_delay_p50_ms",
                            round3(ms(tr.getValueAtPercentile(50) - dtr.getValueAtPercentile(50))));
                    n.put(
                            "added_frame_delay_p99_ms",
                            round3(ms(tr.getValueAtPercentile(99) - dtr.getValueAtPercentile(99))));
                }
            }
        }
        return out;
    }

    private static boolean hasNaN(double[] v) {
        for (double d : v) {
            if (Double.isNaN(d)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Added latency under a fixed open-loop rate, arms interleaved in random order per round; also CPU time per
     * request (from /proc, over each arm's processes) and, for JVM arms, bytes allocated per request.
     */
    ObjectNode underLoad(List<Arm> arms, double rate, int rounds, long windowNs, long warmupNs) throws Exception {
        PerArm<double[]> p50 = new PerArm<>(a -> new double[rounds]);
        PerArm<double[]> p99 = new PerArm<>(a -> new double[rounds]);
        PerArm<long[]> totals =
                new PerArm<>(a -> new long[5]); // requests, cpu ms, allocated bytes, errors, alloc requests
        PerArm<List<String>> firstError = new PerArm<>(a -> new ArrayList<>());
        PerArm<long[]> dbCpu = new PerArm<>(a -> new long[1]);
        List<Arm> order = new ArrayList<>(arms);
        double[] others = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Collections.shuffle(order, random);
            Noise.Mark mark = noise.mark();
            for (Arm a : order) {
                long cpu0 = a.cpuMillis();
                long db0 = a.databaseCpuMillis();
                JvmProbe jvm = a.jvm;
                long alloc0 = jvm == null ? 0 : jvm.allocatedBytes();
                LoadResult lr =
                        OpenLoop.run(client, a.endpoint, i -> a.unary(), rate, windowNs, warmupNs, 256, UNARY_TIMEOUT);
                long alloc1 = jvm == null ? 0 : jvm.allocatedBytes();
                long cpu1 = a.cpuMillis();
                long db1 = a.databaseCpuMillis();
                dbCpu.get(a)[0] += db1 - db0;
                long[] t = totals.get(a);
                t[0] += lr.allSent();
                t[1] += cpu1 - cpu0;
                t[2] += alloc1 - alloc0;
                t[3] += lr.errors();
                t[4] += lr.allSent();
                String fe = lr.firstError();
                if (fe != null && firstError.get(a).isEmpty()) {
                    firstError.get(a).add(fe);
                }
                p50.get(a)[r] = lr.ms(50);
                p99.get(a)[r] = lr.ms(99);
                log("  " + a + " @" + (int) rate + "/s round " + (r + 1) + ": " + lr);
            }
            others[r] = noise.othersCores(mark);
        }
        Arm direct = arms.get(0);
        ObjectNode out = Json.object();
        out.put("rate_per_s", rate);
        out.put("rounds", rounds);
        out.put("window_s", round3((windowNs - warmupNs) / 1e9));
        out.put("others_cpu_cores_median", round3(Stats.median(others)));
        ObjectNode per = out.putObject("arms");
        for (Arm a : arms) {
            ObjectNode n = per.putObject(a.name);
            long[] t = totals.get(a);
            n.put("p50_ms", round3(Stats.median(p50.get(a))));
            n.put("p99_ms", round3(Stats.median(p99.get(a))));
            n.put("errors", t[3]);
            if (!firstError.get(a).isEmpty()) {
                n.put("first_error", firstError.get(a).get(0));
            }
            if (a != direct) {
                n.set("added_p50_ms", summary(Stats.pairedDelta(p50.get(a), p50.get(direct))));
                n.set("added_p99_ms", summary(Stats.pairedDelta(p99.get(a), p99.get(direct))));
            }
            if (t[0] > 0) {
                n.put("cpu_us_per_request", round3(t[1] * 1000.0 / t[0]));
            }
            if (a.gateway != null && t[0] > 0) {
                n.put("database_cpu_us_per_request", round3(dbCpu.get(a)[0] * 1000.0 / t[0]));
            }
            if (a.jvm != null && t[4] > 0) {
                n.put("alloc_bytes_per_request", Math.round((double) t[2] / t[4]));
            }
        }
        return out;
    }

    /** Closed-loop throughput at a fixed number of connections (the earlier spike's "rps at 16 connections"). */
    ObjectNode closedThroughput(List<Arm> arms, int connections, int rounds, long windowNs, long warmupNs) {
        PerArm<double[]> rps = new PerArm<>(a -> new double[rounds]);
        PerArm<double[]> p99 = new PerArm<>(a -> new double[rounds]);
        PerArm<long[]> errors = new PerArm<>(a -> new long[1]);
        List<Arm> order = new ArrayList<>(arms);
        for (int r = 0; r < rounds; r++) {
            Collections.shuffle(order, random);
            for (Arm a : order) {
                LoadResult lr = ClosedLoop.run(
                        client, a.endpoint, i -> a.unary(), connections, windowNs, warmupNs, UNARY_TIMEOUT);
                rps.get(a)[r] = lr.achievedRate();
                p99.get(a)[r] = lr.ms(99);
                errors.get(a)[0] += lr.errors();
                log("  " + a + " c=" + connections + " round " + (r + 1) + ": " + lr);
            }
        }
        ObjectNode out = Json.object();
        out.put("connections", connections);
        out.put("rounds", rounds);
        ObjectNode per = out.putObject("arms");
        for (Arm a : arms) {
            ObjectNode n = per.putObject(a.name);
            n.put("rps", Math.round(Stats.median(rps.get(a))));
            n.put("p99_ms", round3(Stats.median(p99.get(a))));
            n.put("errors", errors.get(a)[0]);
        }
        return out;
    }

    /**
     * Highest open-loop rate whose p99 stays within {@code boundMs} with zero errors: a ladder up by ×1.25 from
     * {@code start} (down by ÷1.5 if the first step fails), then two bisection steps between the last pass and the
     * first failure.
     */
    ObjectNode sloRate(Arm arm, double start, double boundMs, long stepNs, long warmupNs, int maxSteps) {
        ArrayNode steps = Json.array();
        double rate = Math.max(50, start);
        double pass = 0;
        double fail = Double.POSITIVE_INFINITY;
        int n = 0;
        while (n < maxSteps) {
            boolean ok = step(arm, rate, boundMs, stepNs, warmupNs, steps);
            n++;
            if (ok) {
                pass = Math.max(pass, rate);
                if (fail != Double.POSITIVE_INFINITY) {
                    break;
                }
                rate *= 1.25;
            } else {
                fail = Math.min(fail, rate);
                if (pass > 0) {
                    break;
                }
                rate /= 1.5;
                if (rate < 50) {
                    break;
                }
            }
        }
        for (int b = 0; b < 2 && pass > 0 && fail != Double.POSITIVE_INFINITY && n < maxSteps + 2; b++, n++) {
            double mid = Math.sqrt(pass * fail);
            if (step(arm, mid, boundMs, stepNs, warmupNs, steps)) {
                pass = mid;
            } else {
                fail = mid;
            }
        }
        ObjectNode out = Json.object();
        out.put("max_rate_per_s", Math.round(pass));
        out.put("first_failing_rate_per_s", fail == Double.POSITIVE_INFINITY ? -1 : Math.round(fail));
        out.set("steps", steps);
        return out;
    }

    private boolean step(Arm arm, double rate, double boundMs, long stepNs, long warmupNs, ArrayNode steps) {
        LoadResult lr = OpenLoop.run(client, arm.endpoint, i -> arm.unary(), rate, stepNs, warmupNs, 512, 5 * SECOND);
        boolean ok = lr.errors() == 0 && lr.ok() > 0 && lr.ms(99) <= boundMs;
        ObjectNode s = steps.addObject();
        s.put("rate", Math.round(rate));
        s.put("p50_ms", round3(lr.ms(50)));
        s.put("p99_ms", round3(lr.ms(99)));
        s.put("errors", lr.errors());
        s.put("connections", lr.connections());
        s.put("pass", ok);
        log("  slo " + arm + " @" + Math.round(rate) + "/s: " + (ok ? "pass " : "FAIL ") + lr);
        return ok;
    }

    /**
     * {@code n} concurrent streams through one arm (ramped over {@code rampNs}); RSS of the arm's processes sampled
     * every 100 ms. Reports the peak, and RSS {@code settleS} seconds after the streams ended.
     */
    ObjectNode concurrentStreams(Arm arm, int n, int chunks, int intervalMs, long rampNs, int settleS)
            throws Exception {
        long before = arm.rssKiB();
        AtomicBoolean sampling = new AtomicBoolean(true);
        long[] peak = {before};
        Thread sampler = Thread.ofPlatform().daemon().name("rss-sampler").start(() -> {
            while (sampling.get()) {
                peak[0] = Math.max(peak[0], arm.rssKiB());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long t0 = System.nanoTime();
        List<Exchange> results = StreamFan.run(
                client,
                arm.endpoint,
                i -> arm.stream(chunks, intervalMs, 0),
                n,
                rampNs,
                (long) chunks * intervalMs * 1_000_000L + 60 * SECOND);
        long elapsed = System.nanoTime() - t0;
        sampling.set(false);
        sampler.join();
        String expected = MockFormat.text(chunks);
        int exact = 0;
        String problem = null;
        for (Exchange ex : results) {
            FrameScanner f = ex.frames();
            if (ex.ok() && f != null && f.contentFrames() == chunks && f.text().equals(expected)) {
                exact++;
            } else if (problem == null) {
                problem = ex.ok() && f != null ? "frames " + f.contentFrames() + " of " + chunks : ex.describeError();
            }
        }
        Thread.sleep(settleS * 1000L);
        ObjectNode out = Json.object();
        out.put("streams", n);
        out.put("exact_streams", exact);
        if (problem != null) {
            out.put("first_problem", problem);
        }
        out.put("stream_length_s", round3(chunks * intervalMs / 1000.0));
        out.put("elapsed_s", round3(elapsed / 1e9));
        out.put("rss_before_mib", mib(before));
        out.put("rss_peak_mib", mib(peak[0]));
        out.put("rss_after_mib", mib(arm.rssKiB()));
        out.put("settle_s", settleS);
        JvmProbe jvm = arm.jvm;
        if (jvm != null) {
            out.put("heap_after_gc_mib", round3(jvm.heapAfterGc() / 1048576.0));
            out.put("rss_after_gc_mib", mib(arm.rssKiB()));
        }
        return out;
    }

    static double mib(long kib) {
        return Math.round(kib / 1024.0 * 10) / 10.0;
    }

    /**
     * The activity log pipeline end to end: closed-loop load through the gateway (logging on) while the rows in its
     * PostgreSQL are counted every 250 ms; then the drain until every answered request has its row.
     */
    ObjectNode activity(Arm arm, ActivityDb db, int connections, long loadNs) throws Exception {
        long rows0 = db.count();
        LongAdder progress = new LongAdder();
        LoadResult[] result = new LoadResult[1];
        Thread load = Thread.ofPlatform()
                .name("activity-load")
                .start(() -> result[0] = ClosedLoop.run(
                        client, arm.endpoint, i -> arm.unary(), connections, loadNs, 0, UNARY_TIMEOUT, progress));
        long t0 = System.nanoTime();
        List<long[]> samples = new ArrayList<>(); // t ns, rows, answered
        long maxLag = 0;
        while (load.isAlive()) {
            long rows = db.count() - rows0;
            long answered = progress.sum();
            samples.add(new long[] {System.nanoTime() - t0, rows, answered});
            maxLag = Math.max(maxLag, answered - rows);
            Thread.sleep(250);
        }
        load.join();
        long loadEnd = System.nanoTime() - t0;
        long rowsAtLoadEnd = db.count() - rows0;
        LoadResult lr = result[0];
        long expected = lr.allSent();
        long drainStart = System.nanoTime();
        long rows = rowsAtLoadEnd;
        while (rows < expected && System.nanoTime() - drainStart < 60 * SECOND) {
            Thread.sleep(50);
            rows = db.count() - rows0;
        }
        long drainNs = System.nanoTime() - drainStart;
        Thread.sleep(1000);
        long finalRows = db.count() - rows0;
        double peak = 0;
        for (int i = 0; i < samples.size(); i++) {
            long[] a = samples.get(i);
            for (int j = i + 1; j < samples.size(); j++) {
                long[] c = samples.get(j);
                if (c[0] - a[0] >= SECOND) {
                    peak = Math.max(peak, (c[1] - a[1]) * 1e9 / (c[0] - a[0]));
                    break;
                }
            }
        }
        ObjectNode out = Json.object();
        out.put("connections", connections);
        out.put("load_s", round3(loadEnd / 1e9));
        out.put("requests", expected);
        out.put("answered_ok", lr.allOk());
        out.put("request_rate_per_s", Math.round(expected * 1e9 / loadEnd));
        out.put("rows_at_load_end", rowsAtLoadEnd);
        out.put("persisted_per_s_during_load", Math.round(rowsAtLoadEnd * 1e9 / loadEnd));
        out.put("persisted_per_s_peak_1s", Math.round(peak));
        out.put("persisted_per_s_overall", Math.round(finalRows * 1e9 / (loadEnd + drainNs)));
        out.put("max_backlog_rows", maxLag);
        out.put("drain_after_load_s", round3(drainNs / 1e9));
        out.put("rows", finalRows);
        out.put("parity", finalRows == expected ? "exact" : finalRows + " rows for " + expected + " requests");
        out.put("synchronous_commit", db.setting("synchronous_commit"));
        return out;
    }

    /**
     * A soak: open-loop unary load plus a few streams, in slices; after each slice a full GC in the gateway and the
     * heap in use after it, and RSS. Reports the series and the least-squares slope in MiB per minute.
     */
    ObjectNode soak(Arm arm, double rate, long totalNs, long sliceNs, int streams) throws Exception {
        JvmProbe jvm = arm.jvm;
        if (jvm == null) {
            throw new IllegalStateException("soak needs a JVM arm");
        }
        ArrayNode series = Json.array();
        List<Double> minutes = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        long t0 = System.nanoTime();
        long errors = 0;
        long requests = 0;
        int slice = 0;
        double h0 = jvm.heapAfterGc() / 1048576.0;
        ObjectNode first = series.addObject();
        first.put("minute", 0.0);
        first.put("heap_after_gc_mib", round3(h0));
        first.put("rss_mib", mib(arm.rssKiB()));
        while (System.nanoTime() - t0 < totalNs) {
            long thisSlice = Math.min(sliceNs, totalNs - (System.nanoTime() - t0));
            if (thisSlice < SECOND) {
                break;
            }
            AtomicBoolean running = new AtomicBoolean(true);
            long[] streamErrors = {0};
            Thread streamer = Thread.ofPlatform().daemon().name("soak-streams").start(() -> {
                while (running.get()) {
                    for (Exchange ex : StreamFan.run(
                            client, arm.endpoint, i -> arm.stream(16, 50, 0), streams, SECOND, 30 * SECOND)) {
                        if (!ex.ok()) {
                            streamErrors[0]++;
                        }
                    }
                }
            });
            LoadResult lr =
                    OpenLoop.run(client, arm.endpoint, i -> arm.unary(), rate, thisSlice, 0, 256, UNARY_TIMEOUT);
            running.set(false);
            streamer.join();
            errors += lr.errors() + streamErrors[0];
            requests += lr.allSent();
            slice++;
            double minute = (System.nanoTime() - t0) / 60e9;
            double h = jvm.heapAfterGc() / 1048576.0;
            minutes.add(minute);
            heap.add(h);
            ObjectNode p = series.addObject();
            p.put("minute", round3(minute));
            p.put("heap_after_gc_mib", round3(h));
            p.put("rss_mib", mib(arm.rssKiB()));
            p.put("p99_ms", round3(lr.ms(99)));
            log("  soak slice " + slice + ": heap after GC " + round3(h) + " MiB, " + lr);
        }
        ObjectNode out = Json.object();
        out.put("seconds", round3((System.nanoTime() - t0) / 1e9));
        out.put("rate_per_s", rate);
        out.put("concurrent_streams", streams);
        out.put("requests", requests);
        out.put("errors", errors);
        out.set("series", series);
        if (heap.size() >= 2) {
            double slope = Stats.slope(Stats.toArray(minutes), Stats.toArray(heap));
            out.put("heap_slope_mib_per_min", round3(slope));
            out.put("heap_first_mib", round3(heap.get(0)));
            out.put("heap_last_mib", round3(heap.get(heap.size() - 1)));
        }
        return out;
    }

    private PerArm<HttpConn> connect() {
        return new PerArm<>(a -> client.connectSync(a.endpoint));
    }

    private static void close(PerArm<HttpConn> conns) {
        for (HttpConn c : conns.values()) {
            c.loop().execute(c::close);
        }
    }

    private Exchange call(PerArm<HttpConn> conns, Arm a, Request req) {
        HttpConn c = conns.get(a);
        if (!c.usable()) {
            c = client.connectSync(a.endpoint);
            conns.put(a, c);
        }
        return c.call(req, UNARY_TIMEOUT, false).join();
    }

    private Exchange callStream(PerArm<HttpConn> conns, Arm a, Request req) {
        HttpConn c = conns.get(a);
        if (!c.usable()) {
            c = client.connectSync(a.endpoint);
            conns.put(a, c);
        }
        return c.call(req, 60 * SECOND, true).join();
    }

    static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static @Nullable Arm find(List<Arm> arms, String name) {
        for (Arm a : arms) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        return null;
    }
}
