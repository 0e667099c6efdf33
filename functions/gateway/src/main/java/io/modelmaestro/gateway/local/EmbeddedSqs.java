package io.modelmaestro.gateway.local;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.RelaxedSQSLimits$;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import scala.concurrent.Await;

/**
 * An in-process SQS-compatible server (ElasticMQ) on 127.0.0.1 and a free port, for the local runtime and the tests.
 * Its queues live in memory: what is still queued when the process ends is gone, which is why the local consumer
 * drains the queue at shutdown (docs/adr/0007-activity-pipeline.md).
 *
 * <p>Its HTTP layer (Pekko HTTP) is told not to model request headers: ElasticMQ reads only {@code X-Amz-Target} and
 * the content type, and the AWS SDK's {@code Authorization} value ({@code AWS4-HMAC-SHA256 Credential=a/b/c, ...}) is
 * not valid RFC 7235 syntax, so modelling it made every SQS call throw and re-run the header parser with tracing to
 * word a warning nobody reads. That cost more CPU than the gateway's own work per request (JFR, benchmark notes).
 * For the same reason it runs with ElasticMQ's relaxed limits: the strict ones check every character of every message
 * body one boxed code point at a time, and our bodies are Jackson-written JSON that SQS itself accepts.
 */
public final class EmbeddedSqs implements AutoCloseable {

    /** Overrides of Pekko's defaults for the embedded server; see the class comment. */
    static final String PEKKO_OVERRIDES = """
            pekko.http.parsing.modeled-header-parsing = off
            pekko.http.parsing.illegal-header-warnings = off
            pekko.http.server.parsing.modeled-header-parsing = off
            pekko.http.server.parsing.illegal-header-warnings = off
            pekko.loglevel = WARNING
            """;

    private final ActorSystem system;
    private final SQSRestServer server;
    private final int port;

    private EmbeddedSqs(ActorSystem system, SQSRestServer server, int port) {
        this.system = system;
        this.server = server;
        this.port = port;
    }

    /** Starts the server on a free port. */
    public static EmbeddedSqs start() {
        return start(0);
    }

    /** Starts the server on {@code port}, or on a free port when it is 0. */
    public static EmbeddedSqs start(int port) {
        Config config = ConfigFactory.parseString(PEKKO_OVERRIDES).withFallback(ConfigFactory.load());
        ActorSystem system = ActorSystem.create("elasticmq", config);
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withActorSystem(system)
                .withInterface("127.0.0.1")
                .withSQSLimits(RelaxedSQSLimits$.MODULE$);
        SQSRestServer server = (port == 0 ? builder.withDynamicPort() : builder.withPort(port)).start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        return new EmbeddedSqs(system, server, bound);
    }

    /** The endpoint to give the AWS SDK ({@code endpointOverride}). */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopAndWait();
        try {
            Await.result(
                    system.terminate(),
                    scala.concurrent.duration.Duration.fromNanos(
                            Duration.ofSeconds(10).toNanos()));
        } catch (Exception e) {
            // The actor system's threads are daemons; a slow termination does not hold the process.
        }
    }
}
