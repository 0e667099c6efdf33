package io.modelmaestro.gateway.local;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * An in-process SQS-compatible server (ElasticMQ) on 127.0.0.1 and a free port, for the local runtime and the tests.
 * Its queues live in memory: what is still queued when the process ends is gone, which is why the local consumer
 * drains the queue at shutdown (docs/adr/0007-activity-pipeline.md).
 */
public final class EmbeddedSqs implements AutoCloseable {

    private final SQSRestServer server;
    private final int port;

    private EmbeddedSqs(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedSqs start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new EmbeddedSqs(server, port);
    }

    /** The endpoint to give the AWS SDK ({@code endpointOverride}). */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
