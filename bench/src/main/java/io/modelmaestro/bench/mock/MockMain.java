package io.modelmaestro.bench.mock;

import io.modelmaestro.bench.Args;
import io.modelmaestro.bench.Transports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code mock [--host 127.0.0.1] [--port 0] [--threads 1] [--latency-ms 0] [--ttft-ms 0] [--chunks 16]
 * [--interval-ms 0] [--status 200] [--no-stamp] [--port-file F] [--max-seconds 3600]}: runs the mock until stopped,
 * or for at most {@code --max-seconds} (it always stops by itself).
 */
public final class MockMain {

    private MockMain() {}

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, Set.of("no-stamp"));
        String host = a.get("host", "127.0.0.1");
        if (!host.startsWith("127.") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("the mock listens on loopback only");
        }
        MockSettings defaults = new MockSettings(
                a.getInt("latency-ms", 0),
                a.getInt("ttft-ms", 0),
                a.getInt("chunks", MockSettings.DEFAULTS.chunks()),
                a.getInt("interval-ms", 0),
                a.getInt("status", 200),
                !a.flag("no-stamp"));
        int port = a.getInt("port", 0);
        int threads = a.getInt("threads", 1);
        String portFile = a.get("port-file");
        long maxSeconds = a.getLong("max-seconds", 3600);
        a.checkAllUsed();
        MockServer mock = MockServer.start(host, port, threads, defaults);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "mock-stop"));
        System.out.println("mock listening on " + host + ":" + mock.port() + " (" + Transports.name() + ", " + threads
                + " thread(s), defaults " + defaults + ")");
        if (portFile != null) {
            Files.writeString(Path.of(portFile), Integer.toString(mock.port()), StandardCharsets.US_ASCII);
        }
        stop.await(maxSeconds, TimeUnit.SECONDS);
        System.out.println("mock stopping: " + mock.statsJson());
        mock.close();
    }
}
