package io.modelmaestro.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.modelmaestro.gateway.lambda.AwsSettings;
import io.modelmaestro.gateway.local.LocalSettings;
import java.util.Map;

/**
 * The gateway on Netty. Locally (settings: README.md) with embedded defaults; on AWS (inside Lambda, started by the
 * Lambda Web Adapter through {@code run.sh}, or with {@code MAESTRO_RUNTIME=aws}) from the environment and Secrets
 * Manager only ({@link AwsSettings}, docs/deploy.md).
 */
public final class LocalMain {

    private LocalMain() {}

    public static void main(String[] args) {
        if (AwsSettings.applies(System::getenv)) {
            Micronaut.build(args)
                    .mainClass(LocalMain.class)
                    .properties(new AwsSettings(System::getenv).resolve())
                    .banner(false)
                    .start();
            return;
        }
        LocalSettings settings = new LocalSettings(System::getenv);
        Map<String, Object> properties;
        try {
            properties = settings.resolve();
        } catch (IllegalArgumentException e) {
            // A setting the user gave is unusable: say which, and stop (no stack trace, no half-started server).
            System.err.println("maestro: " + e.getMessage());
            System.exit(2);
            return;
        }
        ApplicationContext context = Micronaut.build(args)
                .mainClass(LocalMain.class)
                .properties(properties)
                .banner(false)
                .start();
        settings.stopAfter(context::isRunning);
    }
}
