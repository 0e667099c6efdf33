package io.modelmaestro.bench.jmh;

import io.modelmaestro.core.stream.StreamEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Client-dialect hot paths, per dialect in {@link DialectCodec#REGISTRY}: request decode and stream encode. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms512m", "-Xmx512m"})
public class DialectBench {

    /** Add "anthropic" and "ollama" here with their codecs. */
    @Param({"openai"})
    public String dialect = "openai";

    @Param({"small", "agent"})
    public String size = "small";

    private DialectCodec codec = DialectCodec.of("openai");
    private byte[] body = new byte[0];
    private DialectCodec.StreamEncoder encoder = codec.newStream();
    private final StreamEvent delta = new StreamEvent.TextDelta(0, " hello");

    @Setup
    public void setup() {
        codec = DialectCodec.of(dialect);
        body = codec.sample(size);
        encoder = codec.newStream();
        encoder.encode(new StreamEvent.MessageStart("chatcmpl-bench", "bench-model"));
    }

    /** Parse the client's body once and decode (and validate) it into the canonical request. */
    @Benchmark
    public Object requestDecode() {
        return codec.decodeRequest(body);
    }

    /** One text delta → the dialect's frame (the canonical path's per-token cost). */
    @Benchmark
    public List<byte[]> streamEncodeTextDelta() {
        return encoder.encode(delta);
    }
}
