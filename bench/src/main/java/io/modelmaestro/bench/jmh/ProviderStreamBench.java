package io.modelmaestro.bench.jmh;

import io.modelmaestro.core.model.Usage;
import io.modelmaestro.provider.openai.OpenAiSseRewriter;
import io.modelmaestro.sse.NdjsonDecoder;
import io.modelmaestro.sse.SseDecoder;
import io.modelmaestro.sse.SseEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Upstream stream handling per frame: the SSE and NDJSON splitters, and the OpenAI passthrough rewrite (decode the
 * frame, parse its JSON, rewrite the model name, write it back) that every streamed token goes through today. Add an
 * Anthropic upstream's event decoding here when {@code provider.anthropic} lands.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms512m", "-Xmx512m"})
public class ProviderStreamBench {

    private final byte[] frame = Samples.openAiChunkFrame();
    private final byte[] line = Samples.ollamaLine();
    private final Consumer<Usage> usage = u -> {};
    private SseDecoder sse = new SseDecoder();
    private NdjsonDecoder ndjson = new NdjsonDecoder();
    private OpenAiSseRewriter rewriter = new OpenAiSseRewriter("bench-model", true, true, usage);

    @Setup
    public void setup() {
        sse = new SseDecoder();
        ndjson = new NdjsonDecoder();
        rewriter = new OpenAiSseRewriter("bench-model", true, true, usage);
    }

    @Benchmark
    public List<SseEvent> sseDecodeFrame() {
        return sse.feed(frame);
    }

    @Benchmark
    public List<String> ndjsonDecodeLine() {
        return ndjson.feed(line);
    }

    @Benchmark
    public List<byte[]> openAiPassthroughRewriteFrame() {
        return rewriter.feed(frame);
    }
}
