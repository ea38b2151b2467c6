package dev.switchboard.it.probe;

import dev.switchboard.once.Once;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Beans whose {@code @Once} methods the tests count. */
public final class OnceProbes {

    private OnceProbes() {
    }

    /** Fired from many threads at once; {@code othersReturned} is counted down by every caller that returns. */
    public record Race(CountDownLatch othersReturned) {
    }

    @ApplicationScoped
    public static class RaceObserver {
        private final AtomicInteger runs = new AtomicInteger();
        private volatile boolean sawOthersReturn;

        public int runs() {
            return runs.get();
        }

        public boolean sawOthersReturn() {
            return sawOthersReturn;
        }

        @Once
        void first(@Observes Race race) throws InterruptedException {
            runs.incrementAndGet();
            // The body is still running: the 63 other callers must not be waiting for it.
            sawOthersReturn = race.othersReturned().await(20, TimeUnit.SECONDS);
        }
    }

    @Dependent
    public static class DependentGreeter {
        public static final AtomicInteger RUNS = new AtomicInteger();

        @Once
        public void greet() {
            RUNS.incrementAndGet();
        }
    }

    @ApplicationScoped
    public static class Flaky {
        private final AtomicInteger runs = new AtomicInteger();

        public int runs() {
            return runs.get();
        }

        @Once
        public int attempt() {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return runs.get();
        }
    }

    @ApplicationScoped
    public static class Misplaced {
        @Once(per = Once.Per.CONNECTION)
        public String noConnection(String text) {
            return text;
        }
    }
}
