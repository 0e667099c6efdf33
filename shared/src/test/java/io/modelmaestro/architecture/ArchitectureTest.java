package io.modelmaestro.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the routing core (docs/architecture.md): the canonical model depends on nothing of ours, wire
 * formats only on the model and the codec, dialects and providers never on each other, routing never on either,
 * one JSON codec, no HTTP-server or Lambda types anywhere in the core, and the AWS SDK only where AWS is the point.
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.modelmaestro");
    }

    private static void assertRule(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void core_depends_on_nothing_else_of_ours() {
        assertRule(noClasses()
                .that()
                .resideInAPackage("io.modelmaestro.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelmaestro.wire..",
                        "io.modelmaestro.dialect..",
                        "io.modelmaestro.provider..",
                        "io.modelmaestro.routing..",
                        "io.modelmaestro.pipeline..",
                        "io.modelmaestro.catalog..",
                        "io.modelmaestro.persistence..",
                        "io.modelmaestro.admin..",
                        "io.modelmaestro.upstream.."));
    }

    @Test
    void wire_formats_depend_only_on_core_json_and_sse() {
        assertRule(noClasses()
                .that()
                .resideInAPackage("io.modelmaestro.wire..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelmaestro.dialect..",
                        "io.modelmaestro.provider..",
                        "io.modelmaestro.routing..",
                        "io.modelmaestro.pipeline..",
                        "io.modelmaestro.catalog..",
                        "io.modelmaestro.persistence..",
                        "io.modelmaestro.upstream.."));
    }

    @Test
    void dialects_never_depend_on_providers_routing_or_the_pipeline() {
        assertRule(noClasses()
                .that()
                .resideInAPackage("io.modelmaestro.dialect..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelmaestro.provider..",
                        "io.modelmaestro.routing..",
                        "io.modelmaestro.pipeline..",
                        "io.modelmaestro.persistence.."));
    }

    @Test
    void providers_never_depend_on_dialects_or_the_pipeline() {
        assertRule(noClasses()
                .that()
                .resideInAPackage("io.modelmaestro.provider..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelmaestro.dialect..", "io.modelmaestro.pipeline..", "io.modelmaestro.persistence.."));
    }

    @Test
    void routing_knows_neither_wire_formats_nor_providers() {
        assertRule(noClasses()
                .that()
                .resideInAPackage("io.modelmaestro.routing..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelmaestro.wire..",
                        "io.modelmaestro.dialect..",
                        "io.modelmaestro.provider..",
                        "io.modelmaestro.pipeline..",
                        "io.modelmaestro.persistence..",
                        "io.modelmaestro.upstream.."));
    }

    @Test
    void only_the_json_package_creates_object_mappers() {
        assertRule(noClasses()
                .that()
                .resideOutsideOfPackage("io.modelmaestro.json..")
                .should()
                .callConstructor(ObjectMapper.class)
                .orShould()
                .callMethod(com.fasterxml.jackson.databind.json.JsonMapper.class, "builder"));
    }

    @Test
    void the_core_has_no_http_server_or_lambda_types() {
        assertRule(noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.micronaut.http.server..",
                        "com.amazonaws.services.lambda..",
                        "io.micronaut.function.aws.."));
    }

    @Test
    void the_aws_sdk_is_used_only_by_the_sqs_pipeline_and_bedrock() {
        assertRule(noClasses()
                .that()
                .resideOutsideOfPackages("io.modelmaestro.activity.sqs..", "io.modelmaestro.provider.bedrock..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk.."));
    }

    @Test
    void routing_and_health_take_time_from_an_injected_clock() {
        assertRule(noClasses()
                .that()
                .resideInAnyPackage("io.modelmaestro.routing..")
                .should()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(java.util.concurrent.ThreadLocalRandom.class, "current"));
    }
}
