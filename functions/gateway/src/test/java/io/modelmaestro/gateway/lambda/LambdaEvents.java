package io.modelmaestro.gateway.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Event JSON in and out exactly as the Lambda Java runtime does it: aws-lambda-java-serialization's event serializers
 * (the runtime's own, with its field-name mixins), not our JSON mapper.
 */
final class LambdaEvents {

    private LambdaEvents() {}

    static <T> T fromJson(String json, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, LambdaEvents.class.getClassLoader());
        return serializer.fromJson(json);
    }

    static <T> String toJson(T value, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, LambdaEvents.class.getClassLoader());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static String resource(String name) {
        try (InputStream in = LambdaEvents.class.getResourceAsStream("/lambda/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /lambda/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
