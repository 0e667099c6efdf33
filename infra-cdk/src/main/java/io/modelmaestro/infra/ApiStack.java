package io.modelmaestro.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.InvokeMode;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The functions that serve traffic, each with SnapStart on its published version and invoked through the alias
 * {@code live}: the API function behind an API Gateway HTTP API (every endpoint, buffered), the streaming function
 * (the Netty runtime behind the Lambda Web Adapter) behind a Function URL in {@code RESPONSE_STREAM} mode — the URL
 * IDEs use — and the activity-log consumer on the queue with partial batch responses.
 */
public class ApiStack extends Construct {

    public static final String ALIAS = "live";
    public static final String API_HANDLER = "io.modelmaestro.gateway.lambda.ApiHandler::handleRequest";
    public static final String CONSUMER_HANDLER =
            "io.modelmaestro.gateway.lambda.ActivityConsumerHandler::handleRequest";
    public static final String LWA_ACCOUNT = "753240598075";

    private final Function api;
    private final Function stream;
    private final Function consumer;
    private final Alias apiAlias;
    private final Alias streamAlias;
    private final Alias consumerAlias;
    private final HttpApi httpApi;
    private final FunctionUrl streamUrl;

    public ApiStack(
            Construct scope,
            String id,
            NetworkStack network,
            DataStack data,
            QueueStack queue,
            Artifacts artifacts,
            int lwaLayerVersion) {
        super(scope, id);
        Map<String, String> env = FunctionDefaults.environment(data);
        env.put("SQS_QUEUE_URL", queue.queue().getQueueUrl());

        api = FunctionDefaults.function(
                this, "Api", network, data, artifacts.gatewayCode(), API_HANDLER, Duration.seconds(30), env);
        apiAlias = FunctionDefaults.liveAlias(api);

        Map<String, String> streamEnv = new HashMap<>(env);
        streamEnv.put("AWS_LAMBDA_EXEC_WRAPPER", "/opt/bootstrap");
        streamEnv.put("AWS_LWA_INVOKE_MODE", "response_stream");
        streamEnv.put("AWS_LWA_PORT", "8000");
        streamEnv.put("AWS_LWA_READINESS_CHECK_PATH", "/health");
        // Streams are billed until they end, even after a client left: bound the longest generation.
        stream = FunctionDefaults.function(
                this, "Stream", network, data, artifacts.streamCode(), "run.sh", Duration.minutes(5), streamEnv);
        ILayerVersion adapter = LayerVersion.fromLayerVersionArn(
                this,
                "WebAdapter",
                "arn:aws:lambda:" + software.amazon.awscdk.Stack.of(this).getRegion() + ":" + LWA_ACCOUNT
                        + ":layer:LambdaAdapterLayerX86:" + lwaLayerVersion);
        stream.addLayers(adapter);
        streamAlias = FunctionDefaults.liveAlias(stream);
        streamUrl = streamAlias.addFunctionUrl(FunctionUrlOptions.builder()
                // Authentication is the gateway's own (bearer token / x-api-key), as on every other runtime.
                .authType(FunctionUrlAuthType.NONE)
                .invokeMode(InvokeMode.RESPONSE_STREAM)
                .build());

        Map<String, String> consumerEnv = FunctionDefaults.environment(data);
        consumer = FunctionDefaults.function(
                this,
                "ActivityConsumer",
                network,
                data,
                artifacts.gatewayCode(),
                CONSUMER_HANDLER,
                QueueStack.CONSUMER_TIMEOUT,
                consumerEnv);
        consumerAlias = FunctionDefaults.liveAlias(consumer);
        consumerAlias.addEventSource(SqsEventSource.Builder.create(queue.queue())
                .batchSize(100)
                .maxBatchingWindow(Duration.seconds(5))
                .reportBatchItemFailures(true)
                // Bounded so a backlog cannot exhaust the proxy's connections.
                .maxConcurrency(5)
                .build());

        queue.queue().grantSendMessages(api);
        queue.queue().grantSendMessages(stream);

        httpApi = HttpApi.Builder.create(this, "HttpApi")
                .apiName("maestro")
                .description("Model Maestro: every gateway and admin endpoint (buffered)")
                .defaultIntegration(new HttpLambdaIntegration("ApiIntegration", apiAlias))
                .build();

        CfnOutput.Builder.create(this, "ApiUrl")
                .value(httpApi.getApiEndpoint())
                .description("API Gateway URL (buffered; admin and non-streaming clients)")
                .build();
        CfnOutput.Builder.create(this, "StreamUrl")
                .value(streamUrl.getUrl())
                .description("Function URL with response streaming: the base URL for IDEs")
                .build();
    }

    public Function api() {
        return api;
    }

    public Function stream() {
        return stream;
    }

    public Function consumer() {
        return consumer;
    }

    public Alias apiAlias() {
        return apiAlias;
    }

    public Alias streamAlias() {
        return streamAlias;
    }

    public Alias consumerAlias() {
        return consumerAlias;
    }

    public HttpApi httpApi() {
        return httpApi;
    }

    /** What every Model Maestro function shares: runtime, VPC placement, SnapStart, secrets access, settings. */
    static final class FunctionDefaults {

        private FunctionDefaults() {}

        static Map<String, String> environment(DataStack data) {
            Map<String, String> env = new HashMap<>();
            env.put("MAESTRO_RUNTIME", "aws");
            env.put("DATABASE_URL", data.jdbcUrl());
            env.put("DATABASE_SECRET_ARN", data.databaseSecret().getSecretArn());
            env.put("ADMIN_TOKEN_SECRET_ARN", data.adminToken().getSecretArn());
            env.put("JWT_SECRET_KEY_SECRET_ARN", data.jwtSecret().getSecretArn());
            env.put("MAESTRO_ENCRYPTION_KEY_SECRET_ARN", data.encryptionKey().getSecretArn());
            env.put("REDIS_URL", data.redisUrl());
            return env;
        }

        static Function function(
                Construct scope,
                String id,
                NetworkStack network,
                DataStack data,
                Code code,
                String handler,
                Duration timeout,
                Map<String, String> env) {
            LogGroup logs = LogGroup.Builder.create(scope, id + "Logs")
                    .retention(RetentionDays.ONE_MONTH)
                    .build();
            Function fn = Function.Builder.create(scope, id)
                    .runtime(Runtime.JAVA_21)
                    .architecture(Architecture.X86_64)
                    .code(code)
                    .handler(handler)
                    .memorySize(2048)
                    .timeout(timeout)
                    .environment(env)
                    .environmentEncryption(data.key())
                    .vpc(network.vpc())
                    .vpcSubnets(SubnetSelection.builder()
                            .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                            .build())
                    .securityGroups(List.of(network.functionsSecurityGroup()))
                    .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                    .logGroup(logs)
                    .build();
            data.databaseSecret().grantRead(fn);
            data.adminToken().grantRead(fn);
            data.jwtSecret().grantRead(fn);
            data.encryptionKey().grantRead(fn);
            return fn;
        }

        /** SnapStart applies to published versions only: traffic goes through this alias of the current version. */
        static Alias liveAlias(Function fn) {
            return Alias.Builder.create(fn, "Live")
                    .aliasName(ALIAS)
                    .version(fn.getCurrentVersion())
                    .build();
        }
    }
}
