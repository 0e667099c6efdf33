package io.modelmaestro.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Readings from /proc: resident memory, CPU time, load. Linux only, as is the harness. */
public final class ProcStats {

    /** Clock ticks per second of utime/stime in /proc/PID/stat (USER_HZ, 100 on Linux x86). */
    static final int CLK_TCK = 100;

    private ProcStats() {}

    /** VmRSS of one process in KiB, or -1 when it is gone. */
    public static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of one process, in milliseconds (10 ms resolution), or -1 when it is gone. */
    public static long cpuMillis(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))) * 1000L / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime in clock ticks from a /proc/PID/stat line (fields 14 and 15; the name may contain spaces). */
    static long parseCpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        String[] f = stat.substring(close + 2).split(" ");
        // f[0] is field 3 (state); utime is field 14, stime field 15.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The process and all its descendants (nginx workers, PostgreSQL backends, node's children). */
    public static List<Long> tree(long pid) {
        List<Long> out = new ArrayList<>();
        out.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> out.add(d.pid())));
        return out;
    }

    public static long rssKiB(List<Long> pids) {
        long sum = 0;
        for (long p : pids) {
            long r = rssKiB(p);
            if (r > 0) {
                sum += r;
            }
        }
        return sum;
    }

    public static long cpuMillis(List<Long> pids) {
        long sum = 0;
        for (long p : pids) {
            long c = cpuMillis(p);
            if (c > 0) {
                sum += c;
            }
        }
        return sum;
    }

    /** 1-minute load average. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Busy and total jiffies of all CPUs (for the share of the machine others used during a phase). */
    public static long[] cpuJiffies() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.strip().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < f.length; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
