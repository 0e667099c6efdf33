package io.modelmaestro.bench.load;

/** Where a target listens: loopback only (the harness never sends anywhere else). */
public record Endpoint(String host, int port) {
    public Endpoint {
        if (!host.startsWith("127.") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("load is only ever sent to loopback, not to " + host);
        }
    }

    public static Endpoint local(int port) {
        return new Endpoint("127.0.0.1", port);
    }

    public String hostHeader() {
        return host + ":" + port;
    }
}
