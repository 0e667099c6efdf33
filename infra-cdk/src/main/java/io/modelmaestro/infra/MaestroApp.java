package io.modelmaestro.infra;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: {@code cdk synth} / {@code scripts/deploy}. Account and region come from the context ({@code -c
 * account=… -c region=…}), else from the CLI's credentials, else the placeholders of cdk.json (offline synth; the AZs
 * of that placeholder environment are pinned in cdk.context.json).
 */
public final class MaestroApp {

    /** Layer version of the Lambda Web Adapter (LambdaAdapterLayerX86) in the target region. */
    public static final int DEFAULT_LWA_LAYER_VERSION = 25;

    private MaestroApp() {}

    public static void main(String[] args) {
        App app = new App();
        build(app, Artifacts.fromRepository(Path.of("")));
        app.synth();
    }

    /** All stacks of one deployment. */
    public record Stacks(
            NetworkStack network,
            Stack service,
            DataStack data,
            QueueStack queue,
            ApiStack api,
            SchedulesStack schedules,
            AdminSiteStack adminSite,
            AlarmsStack alarms) {}

    public static Stacks build(App app, Artifacts artifacts) {
        String account = context(app, "account", System.getenv("CDK_DEFAULT_ACCOUNT"));
        String region = context(app, "region", System.getenv("CDK_DEFAULT_REGION"));
        StackProps props = StackProps.builder()
                .env(Environment.builder().account(account).region(region).build())
                .build();
        int lwa = Integer.parseInt(context(app, "lwaLayerVersion", String.valueOf(DEFAULT_LWA_LAYER_VERSION)));
        NetworkStack network = new NetworkStack(app, "MaestroNetwork", props);
        // Data, queue, functions, schedules and alarms reference each other (grants on the KMS-encrypted secrets add
        // the functions' roles to the key policy): one stack, one construct each.
        Stack service = new Stack(app, "MaestroService", props);
        DataStack data = new DataStack(service, "Data", network);
        QueueStack queue = new QueueStack(service, "Queue", data);
        ApiStack api = new ApiStack(service, "Api", network, data, queue, artifacts, lwa);
        SchedulesStack schedules = new SchedulesStack(service, "Schedules", network, data, artifacts);
        AlarmsStack alarms = new AlarmsStack(service, "Alarms", data, queue, api, schedules);
        AdminSiteStack site = new AdminSiteStack(app, "MaestroAdminSite", props, artifacts);
        Tags.of(app).add("project", "model-maestro");
        return new Stacks(network, service, data, queue, api, schedules, site, alarms);
    }

    private static String context(App app, String key, @Nullable String fallback) {
        Object value = app.getNode().tryGetContext(key);
        if (value != null && !value.toString().isBlank()) {
            return value.toString();
        }
        if (fallback != null && !fallback.isBlank()) {
            return fallback;
        }
        throw new IllegalStateException("set the CDK context '" + key + "' (cdk.json or -c " + key + "=…)");
    }
}
