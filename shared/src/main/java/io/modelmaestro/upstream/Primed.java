package io.modelmaestro.upstream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A stream whose first element has already arrived. {@code all} replays that element and continues with the rest; it
 * may be subscribed once. Until then the source is held open but not read (backpressure).
 *
 * <p>This is what makes "failover only before the first byte" exact: the router treats an attempt as successful only
 * once {@link #prime} has produced a value, and errors before that are free to be retried elsewhere.
 */
public record Primed<T>(T first, Flux<T> all) {

    /**
     * Waits for the first element of {@code source}. Errors and an empty source before the first element surface
     * on the returned {@code Mono}. Cancelling the returned {@code Mono} cancels the source.
     */
    public static <T> Mono<Primed<T>> prime(Flux<T> source) {
        return source.<Primed<T>>switchOnFirst(
                        (signal, all) -> {
                            if (signal.hasValue()) {
                                T first = signal.get();
                                if (first != null) {
                                    return Flux.just(new Primed<>(first, all));
                                }
                            }
                            // An error or completion before any element: let it through as it is.
                            return all.map(x -> {
                                throw new IllegalStateException("unreachable");
                            });
                        },
                        false)
                .singleOrEmpty();
    }
}
