package dev.switchboard.once.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.once.Once;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;

/** The {@code @Once} interceptor on a real CDI container in-process (Weld SE), per application. */
@EnableWeld
class OnceInterceptorTest {

    record Ping(boolean fail) {
    }

    /** Counts, application-wide, how often each body ran. */
    @ApplicationScoped
    static class Counts {
        private final AtomicInteger greeted = new AtomicInteger();
        private final AtomicInteger attempts = new AtomicInteger();

        AtomicInteger greeted() {
            return greeted;
        }

        AtomicInteger attempts() {
            return attempts;
        }
    }

    @Dependent
    static class Greeter {
        @Inject
        Counts counts;

        @Once
        void greet(@Observes Ping ping) {
            counts.attempts().incrementAndGet();
            if (ping.fail()) {
                throw new IllegalStateException("not this time");
            }
            counts.greeted().incrementAndGet();
        }
    }

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(OnceInterceptor.class, OnceLedger.class, Counts.class, Greeter.class)
            .build();

    @Inject
    Event<Ping> pings;

    @Inject
    Counts counts;

    @Inject
    Instance<Greeter> greeters;

    @Test
    void aBodyThatThrowsDoesNotCountAndTheNextCallRunsItOnceForGood() {
        assertThatThrownBy(() -> pings.fire(new Ping(true))).hasStackTraceContaining("not this time");
        pings.fire(new Ping(false));
        pings.fire(new Ping(false));
        assertThat(counts.attempts().get()).isEqualTo(2);
        assertThat(counts.greeted().get()).isEqualTo(1);
    }

    @Test
    void itCountsAcrossInstancesAndRacingCallersRunItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int i = 0; i < 64; i++) {
                pool.execute(() -> {
                    try {
                        start.await();
                        greeters.get().greet(new Ping(false)); // a new dependent instance each time
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(counts.greeted().get()).isEqualTo(1);
    }
}
