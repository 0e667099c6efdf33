package io.modelmaestro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The same activity-pipeline test against LocalStack's SQS in a container. Where Docker is not available the class is
 * reported as skipped ({@code disabledWithoutDocker}), with the reason, instead of failing.
 */
@Testcontainers(disabledWithoutDocker = true)
class ActivityPipelineLocalStackTest extends ActivityPipelineContract {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
                    DockerImageName.parse("localstack/localstack:3.8"))
            .withServices(LocalStackContainer.Service.SQS);

    /** The contract's tests (inherited) run against this endpoint; it must be the live container's. */
    @Override
    String sqsEndpoint() {
        assertThat(LOCALSTACK.isRunning()).as("LocalStack container running").isTrue();
        return LOCALSTACK.getEndpointOverride(LocalStackContainer.Service.SQS).toString();
    }
}
