package io.modelmaestro.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.modelmaestro.gateway.local.LocalSettings;

/** The local runtime: the gateway on Netty with embedded defaults. Settings: see README.md. */
public final class LocalMain {

    private LocalMain() {}

    public static void main(String[] args) {
        LocalSettings settings = new LocalSettings(System::getenv);
        ApplicationContext context = Micronaut.build(args)
                .mainClass(LocalMain.class)
                .properties(settings.resolve())
                .banner(false)
                .start();
        settings.stopAfter(context::isRunning);
    }
}
