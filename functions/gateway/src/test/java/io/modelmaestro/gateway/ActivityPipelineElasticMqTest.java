package io.modelmaestro.gateway;

import io.modelmaestro.gateway.local.EmbeddedSqs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The activity pipeline against the embedded ElasticMQ the local runtime uses (runs everywhere, no Docker). */
class ActivityPipelineElasticMqTest extends ActivityPipelineContract {

    static EmbeddedSqs sqs;

    @BeforeAll
    static void startSqs() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @Override
    String sqsEndpoint() {
        return sqs.endpoint();
    }
}
