package io.modelmaestro.pipeline;

import io.modelmaestro.activity.ActivityRecorder;
import io.modelmaestro.core.error.GatewayException;
import io.modelmaestro.limits.LimitService;
import jakarta.inject.Singleton;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The step every LLM endpoint takes between resolving and routing: reserve against the user's daily limits, run the
 * work, and settle the reservation with the real token count when the request ends (the activity recorder's finish
 * hook fires exactly once). Refusals are rendered by the caller's dialect.
 */
@Singleton
public class Admission {

    /** Tokens reserved for an answer when the request sets no limit (settled with the real count after). */
    public static final long DEFAULT_ANSWER_ESTIMATE = 1024;

    private final LimitService limits;

    public Admission(LimitService limits) {
        this.limits = limits;
    }

    public Mono<OutboundResponse> admitted(
            InboundRequest in,
            ActivityRecorder rec,
            long tokenEstimate,
            Supplier<Mono<OutboundResponse>> work,
            Function<GatewayException, OutboundResponse> fail) {
        return limits.reserve(in.principal(), tokenEstimate)
                .flatMap(ticket -> {
                    rec.onFinish(usage -> ticket.settle(usage.totalTokens()));
                    return work.get();
                })
                .onErrorResume(GatewayException.class, e -> Mono.just(fail.apply(e)));
    }
}
