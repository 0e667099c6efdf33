package io.modelmaestro.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the harness, always started under coreutils' {@code timeout} so it ends by itself even if the
 * harness is killed. {@link #pid()} is the real program's PID (the child of {@code timeout}); {@link #stop()} sends it
 * SIGTERM (through {@code timeout}, which forwards it), then SIGKILL after a grace period.
 */
public final class Proc implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final long pid;

    private Proc(String name, Process process, Path log, long pid) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pid = pid;
    }

    public static Proc start(String name, List<String> command, Map<String, String> env, Path log, long maxSeconds)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("timeout", "-k", "15", maxSeconds + "s"));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Optional<ProcessHandle> child = Optional.empty();
        while (child.isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
            child = p.toHandle().children().findFirst();
            if (child.isEmpty()) {
                Thread.sleep(10);
            }
        }
        if (child.isEmpty()) {
            p.destroyForcibly();
            throw new IOException(name + " did not start: " + tail(log, 20));
        }
        return new Proc(name, p, log, child.get().pid());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return pid;
    }

    public boolean alive() {
        return process.isAlive()
                && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public Path log() {
        return log;
    }

    public String tail(int lines) {
        return tail(log, lines);
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    /** SIGTERM, wait up to 20 s, then SIGKILL. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
