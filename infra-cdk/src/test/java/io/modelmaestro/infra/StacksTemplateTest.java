package io.modelmaestro.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesised CloudFormation, synthesised once: every resource and the properties that matter. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StacksTemplateTest {

    Template network;
    Template service;
    Template site;

    @BeforeAll
    void synth() {
        App app = App.Builder.create()
                .context(Map.of("account", "111111111111", "region", "eu-west-1", "lwaLayerVersion", "25"))
                .build();
        MaestroApp.Stacks stacks = MaestroApp.build(app, Artifacts.fromRepository(Path.of("")));
        network = Template.fromStack(stacks.network());
        service = Template.fromStack(stacks.service());
        site = Template.fromStack(stacks.adminSite());
    }

    static Map<String, Object> props(Map<String, ?> properties) {
        return Map.of("Properties", Match.objectLike(properties));
    }

    @Test
    void network_has_private_subnets_a_nat_and_endpoints() {
        network.resourceCountIs("AWS::EC2::VPC", 1);
        network.resourceCountIs("AWS::EC2::NatGateway", 1);
        network.resourceCountIs("AWS::EC2::Subnet", 6);
        network.hasResourceProperties(
                "AWS::EC2::VPCEndpoint",
                Match.objectLike(Map.of(
                        "VpcEndpointType", "Interface", "ServiceName", "com.amazonaws.eu-west-1.secretsmanager")));
        network.hasResourceProperties(
                "AWS::EC2::VPCEndpoint",
                Match.objectLike(Map.of("VpcEndpointType", "Interface", "ServiceName", "com.amazonaws.eu-west-1.sqs")));
        network.hasResourceProperties("AWS::EC2::VPCEndpoint", Match.objectLike(Map.of("VpcEndpointType", "Gateway")));
    }

    @Test
    void every_function_runs_java21_in_the_vpc_with_snapstart_on_published_versions_behind_an_alias() {
        service.resourceCountIs("AWS::Lambda::Function", 4);
        assertThat(service.findResources(
                                "AWS::Lambda::Function",
                                props(Map.of(
                                        "Runtime", "java21",
                                        "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                                        "VpcConfig", Match.objectLike(Map.of()),
                                        "KmsKeyArn", Match.anyValue())))
                        .size())
                .isEqualTo(4);
        service.resourceCountIs("AWS::Lambda::Version", 4);
        service.resourceCountIs("AWS::Lambda::Alias", 4);
        service.allResourcesProperties("AWS::Lambda::Alias", Match.objectLike(Map.of("Name", "live")));
        for (String handler : List.of(
                "io.modelmaestro.gateway.lambda.ApiHandler::handleRequest",
                "io.modelmaestro.gateway.lambda.ActivityConsumerHandler::handleRequest",
                "io.modelmaestro.gateway.lambda.ScheduledJobsHandler::handleRequest",
                "run.sh")) {
            service.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Handler", handler)));
        }
    }

    @Test
    void the_streaming_function_runs_the_web_adapter_behind_a_response_stream_url() {
        service.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "run.sh",
                        "Timeout",
                        300,
                        "Layers",
                        List.of("arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:25"),
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(Map.of(
                                        "AWS_LAMBDA_EXEC_WRAPPER", "/opt/bootstrap",
                                        "AWS_LWA_INVOKE_MODE", "response_stream",
                                        "AWS_LWA_PORT", "8000",
                                        "AWS_LWA_READINESS_CHECK_PATH", "/health",
                                        "MAESTRO_RUNTIME", "aws"))))));
        service.resourceCountIs("AWS::Lambda::Url", 1);
        service.hasResourceProperties(
                "AWS::Lambda::Url",
                Match.objectLike(Map.of("InvokeMode", "RESPONSE_STREAM", "AuthType", "NONE", "Qualifier", "live")));
    }

    @Test
    void the_http_api_proxies_everything_to_the_api_alias() {
        service.hasResourceProperties("AWS::ApiGatewayV2::Api", Match.objectLike(Map.of("ProtocolType", "HTTP")));
        service.hasResourceProperties(
                "AWS::ApiGatewayV2::Integration",
                Match.objectLike(Map.of("IntegrationType", "AWS_PROXY", "PayloadFormatVersion", "2.0")));
        service.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of("RouteKey", "$default")));
    }

    @Test
    void the_queue_is_encrypted_redrives_after_five_receives_and_outlasts_the_consumer_six_times() {
        service.hasResourceProperties(
                "AWS::SQS::Queue",
                Match.objectLike(Map.of(
                        "QueueName",
                        "maestro-activity",
                        "VisibilityTimeout",
                        360,
                        "KmsMasterKeyId",
                        Match.anyValue(),
                        "RedrivePolicy",
                        Match.objectLike(Map.of("maxReceiveCount", 5)))));
        service.hasResourceProperties(
                "AWS::SQS::Queue",
                Match.objectLike(Map.of("QueueName", "maestro-activity-dlq", "KmsMasterKeyId", Match.anyValue())));
        service.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "io.modelmaestro.gateway.lambda.ActivityConsumerHandler::handleRequest",
                        "Timeout",
                        60)));
        service.hasResourceProperties(
                "AWS::Lambda::EventSourceMapping",
                Match.objectLike(Map.of(
                        "FunctionResponseTypes",
                        List.of("ReportBatchItemFailures"),
                        "BatchSize",
                        100,
                        "MaximumBatchingWindowInSeconds",
                        5,
                        "ScalingConfig",
                        Map.of("MaximumConcurrency", 5))));
    }

    @Test
    void data_is_encrypted_behind_a_tls_proxy_with_generated_secrets() {
        service.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
        service.hasResourceProperties(
                "AWS::RDS::DBInstance",
                Match.objectLike(Map.of(
                        "Engine",
                        "postgres",
                        "StorageEncrypted",
                        true,
                        "KmsKeyId",
                        Match.anyValue(),
                        "PubliclyAccessible",
                        false,
                        "DeletionProtection",
                        true)));
        service.hasResourceProperties(
                "AWS::RDS::DBProxy", Match.objectLike(Map.of("RequireTLS", true, "EngineFamily", "POSTGRESQL")));
        service.hasResourceProperties(
                "AWS::ElastiCache::ServerlessCache",
                Match.objectLike(Map.of("Engine", "valkey", "KmsKeyId", Match.anyValue())));
        // The database credentials and the three application secrets, all with the customer-managed key.
        service.resourceCountIs("AWS::SecretsManager::Secret", 4);
        service.allResourcesProperties(
                "AWS::SecretsManager::Secret", Match.objectLike(Map.of("KmsKeyId", Match.anyValue())));
    }

    @Test
    void iam_policies_name_their_resources() {
        Map<String, Map<String, Object>> policies = service.findResources("AWS::IAM::Policy");
        assertThat(policies).isNotEmpty();
        for (Map.Entry<String, Map<String, Object>> p : policies.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> document =
                    (Map<String, Object>) ((Map<String, Object>) p.getValue().get("Properties")).get("PolicyDocument");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> statements = (List<Map<String, Object>>) document.get("Statement");
            for (Map<String, Object> statement : statements) {
                Object resource = statement.get("Resource");
                assertThat(resource)
                        .as(p.getKey() + " " + statement.get("Action"))
                        .isNotEqualTo("*");
                if (resource instanceof List<?> list) {
                    List<Object> items = List.copyOf(list);
                    assertThat(items)
                            .as(p.getKey() + " " + statement.get("Action"))
                            .doesNotContain((Object) "*");
                }
            }
        }
        // The functions read exactly the secrets they need and send to the queue only.
        service.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Action",
                                        Match.arrayWith(List.of("sqs:SendMessage")),
                                        "Resource",
                                        Match.anyValue())))))))));
    }

    @Test
    void four_schedules_send_a_scheduled_event_naming_their_job() {
        service.resourceCountIs("AWS::Events::Rule", 4);
        for (String job : List.of("health-check", "model-discovery", "warmup", "retention")) {
            service.hasResourceProperties(
                    "AWS::Events::Rule",
                    Match.objectLike(Map.of(
                            "Targets",
                            Match.arrayWith(List.of(Match.objectLike(Map.of(
                                    "InputTransformer",
                                    Match.objectLike(Map.of(
                                            "InputTemplate",
                                            Match.stringLikeRegexp(
                                                    ".*\"detail\":\\{\"job\":\"" + job + "\"\\}.*"))))))))));
        }
        service.allResourcesProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "Targets",
                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                "InputTransformer",
                                Match.objectLike(Map.of(
                                        "InputTemplate",
                                        Match.stringLikeRegexp(".*\"detail-type\":\"Scheduled Event\".*"))))))))));
        service.hasResourceProperties(
                "AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "rate(1 minute)")));
        service.hasResourceProperties(
                "AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "cron(17 3 * * ? *)")));
    }

    @Test
    void alarms_watch_dead_letters_5xx_throttles_and_duration() {
        service.resourceCountIs("AWS::CloudWatch::Alarm", 2 + 4 * 3);
        service.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "MetricName", "ApproximateNumberOfMessagesVisible", "Threshold", 1, "Namespace", "AWS/SQS")));
        service.hasResourceProperties(
                "AWS::CloudWatch::Alarm", Match.objectLike(Map.of("MetricName", "5xx", "Namespace", "AWS/ApiGateway")));
        service.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("MetricName", "Throttles")));
        service.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of("MetricName", "Duration", "ExtendedStatistic", "p99")));
        service.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.anyValue())));
    }

    @Test
    void the_admin_site_is_a_private_encrypted_bucket_behind_cloudfront_with_origin_access_control() {
        site.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "BucketEncryption", Match.anyValue(),
                        "PublicAccessBlockConfiguration",
                                Map.of(
                                        "BlockPublicAcls", true,
                                        "BlockPublicPolicy", true,
                                        "IgnorePublicAcls", true,
                                        "RestrictPublicBuckets", true))));
        site.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
        site.hasResourceProperties(
                "AWS::CloudFront::Distribution",
                Match.objectLike(Map.of(
                        "DistributionConfig",
                        Match.objectLike(Map.of(
                                "DefaultRootObject",
                                "index.html",
                                "DefaultCacheBehavior",
                                Match.objectLike(Map.of("ViewerProtocolPolicy", "redirect-to-https")))))));
        site.resourceCountIs("Custom::CDKBucketDeployment", 1);
    }
}
