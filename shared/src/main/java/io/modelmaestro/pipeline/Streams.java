package io.modelmaestro.pipeline;

import io.modelmaestro.activity.ActivityRecorder;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.core.error.HttpStatusMapping;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/** The tail every client stream shares: in-band error frames after the first byte, and exactly one activity row. */
final class Streams {

    private static final Logger LOG = LoggerFactory.getLogger(Streams.class);

    /** Status recorded for a stream the client abandoned (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    private Streams() {}

    static Flux<byte[]> finishing(
            Flux<byte[]> frames, ActivityRecorder activity, Function<GatewayException, List<byte[]>> errorFrames) {
        return frames.onErrorResume(error -> {
                    GatewayException ge = error instanceof GatewayException g
                            ? g
                            : new GatewayException.UpstreamTimeout(
                                    "upstream",
                                    "The upstream stream failed: "
                                            + error.getClass().getSimpleName(),
                                    true,
                                    error);
                    if (!(error instanceof GatewayException)) {
                        LOG.warn("stream {} failed after the first byte", activity.requestId(), error);
                    }
                    activity.fail(HttpStatusMapping.statusFor(ge), ge);
                    return Flux.fromIterable(errorFrames.apply(ge));
                })
                .doOnComplete(() -> activity.finish(200, null))
                .doOnCancel(() -> activity.finish(CLIENT_CLOSED, "client disconnected"));
    }
}
