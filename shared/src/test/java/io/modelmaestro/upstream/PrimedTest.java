package io.modelmaestro.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class PrimedTest {

    @Test
    void prime_yieldsFirstAndReplaysItInAll() {
        Primed<String> primed = Primed.prime(Flux.just("a", "b", "c")).block(Duration.ofSeconds(5));
        assertThat(primed).isNotNull();
        assertThat(primed.first()).isEqualTo("a");
        assertThat(primed.all().collectList().block(Duration.ofSeconds(5))).containsExactly("a", "b", "c");
    }

    @Test
    void prime_doesNotReadPastFirstUntilAllIsSubscribed() {
        AtomicInteger requested = new AtomicInteger();
        Flux<Integer> source = Flux.range(1, 100).doOnRequest(n -> requested.addAndGet((int) Math.min(n, 1000)));
        Primed<Integer> primed = Primed.prime(source).block(Duration.ofSeconds(5));
        assertThat(primed).isNotNull();
        int before = requested.get();
        assertThat(before).isLessThanOrEqualTo(1);
        assertThat(primed.all().collectList().block(Duration.ofSeconds(5))).hasSize(100);
    }

    @Test
    void prime_surfacesErrorBeforeFirstElement() {
        StepVerifier.create(Primed.prime(Flux.<String>error(new IllegalArgumentException("boom"))))
                .expectErrorMessage("boom")
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void prime_emptySourceGivesEmptyMono() {
        StepVerifier.create(Primed.prime(Flux.<String>empty())).verifyComplete();
    }

    @Test
    void cancellingAll_cancelsTheSource() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
        Flux<String> source = sink.asFlux().doOnCancel(() -> cancelled.set(true));
        sink.tryEmitNext("first");
        Primed<String> primed = Primed.prime(source).block(Duration.ofSeconds(5));
        assertThat(primed).isNotNull();
        assertThat(cancelled).isFalse();
        StepVerifier.create(primed.all()).expectNext("first").thenCancel().verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
    }

    @Test
    void errorAfterFirst_reachesSubscriberOfAll() {
        Flux<String> source = Flux.concat(Flux.just("x"), Flux.error(new IllegalStateException("mid")));
        Primed<String> primed = Primed.prime(source).block(Duration.ofSeconds(5));
        assertThat(primed).isNotNull();
        StepVerifier.create(primed.all())
                .expectNext("x")
                .expectErrorMessage("mid")
                .verify(Duration.ofSeconds(5));
        assertThat(List.of(primed.first())).containsExactly("x");
    }
}
