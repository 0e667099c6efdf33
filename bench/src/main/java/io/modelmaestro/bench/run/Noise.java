package io.modelmaestro.bench.run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * How much of the machine others used during a phase: all CPUs' busy time (/proc/stat) minus the CPU time of the
 * harness's own processes (itself, the mock, the proxies, their databases), in cores. On a shared 2-core box this is
 * the number that says whether a phase's figures can be trusted.
 */
final class Noise {

    private final List<Supplier<List<Long>>> ours = new CopyOnWriteArrayList<>();

    Noise() {
        long self = ProcessHandle.current().pid();
        ours.add(() -> List.of(self));
    }

    void add(Supplier<List<Long>> processes) {
        ours.add(processes);
    }

    record Mark(long nanos, long busyJiffies, long oursMillis) {}

    Mark mark() {
        return new Mark(System.nanoTime(), ProcStats.cpuJiffies()[0], oursMillis());
    }

    private long oursMillis() {
        long sum = 0;
        for (Supplier<List<Long>> s : ours) {
            sum += ProcStats.cpuMillis(s.get());
        }
        return sum;
    }

    /** Cores used by processes other than ours since {@code mark}. */
    double othersCores(Mark mark) {
        Mark now = mark();
        double wallMs = (now.nanos - mark.nanos) / 1e6;
        if (wallMs <= 0) {
            return 0;
        }
        double busyMs = (now.busyJiffies - mark.busyJiffies) * 1000.0 / ProcStats.CLK_TCK;
        double othersMs = busyMs - (now.oursMillis - mark.oursMillis);
        return Math.max(0, othersMs / wallMs);
    }

    /** Others' use over the next {@code millis}. */
    double sample(long millis) throws InterruptedException {
        Mark m = mark();
        Thread.sleep(millis);
        return othersCores(m);
    }

    /**
     * Waits (up to {@code maxSeconds}) for a 3-second window in which others use less than {@code threshold} cores;
     * returns the last reading.
     */
    double awaitQuiet(double threshold, int maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        double last = sample(3000);
        while (last > threshold && System.nanoTime() < deadline) {
            Scenarios.log(String.format("  machine busy: others use %.2f cores; waiting", last));
            last = sample(3000);
        }
        return last;
    }
}
