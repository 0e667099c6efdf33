package io.modelmaestro.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.services.lambda.Code;

/**
 * Where the deployable artefacts are, relative to {@code infra-cdk/}: the gateway's shaded jar (API, consumer and
 * scheduled functions), the streaming package (run.sh + the jar, for the Lambda Web Adapter) and the admin site. A
 * missing artefact (a synth before {@code mvn package}, or before the admin site was built) is replaced by a
 * placeholder so that synth and the template tests still run; {@code scripts/deploy} builds everything first.
 */
public record Artifacts(Path gatewayJar, Path streamZip, Path adminSite, Path placeholderSite) {

    public static Artifacts fromRepository(Path infraDir) {
        Path root = java.util.Objects.requireNonNull(
                infraDir.toAbsolutePath().normalize().getParent(), "infra-cdk has a parent directory");
        return new Artifacts(
                root.resolve("functions/gateway/target/maestro-gateway.jar"),
                root.resolve("functions/gateway/target/maestro-gateway-stream.zip"),
                root.resolve("admin-web/dist"),
                infraDir.toAbsolutePath().normalize().resolve("placeholder-site"));
    }

    Code gatewayCode() {
        return code(gatewayJar);
    }

    Code streamCode() {
        return code(streamZip);
    }

    /** The built admin site, or the placeholder page when it has not been built. */
    Path siteDirectory() {
        return Files.isDirectory(adminSite) ? adminSite : placeholderSite;
    }

    private Code code(Path file) {
        // A .jar/.zip asset is uploaded as it is; a directory would be zipped.
        return Code.fromAsset(Files.isRegularFile(file) ? file.toString() : placeholderSite.toString());
    }
}
