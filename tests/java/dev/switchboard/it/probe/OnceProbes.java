package dev.switchboard.it.probe;

import dev.switchboard.connections.Connection;
import dev.switchboard.connections.ConnectionEvent;
import dev.switchboard.events.Namespace;
import dev.switchboard.once.Once;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Stereotype;
import jakarta.json.Json;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
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

    /** Fired on {@code /probe/once} for a message with {@code "visit":"stereotype"}. */
    public record StereotypeVisit(Connection connection) implements ConnectionEvent {
    }

    /** Fired on {@code /probe/once} for a message with {@code "visit":"inherited"}. */
    public record InheritedVisit(Connection connection) implements ConnectionEvent {
    }

    /** A stereotype that carries {@code @Once(per = CONNECTION)}: the binding is on neither the method nor its class. */
    @Stereotype
    @Once(per = Once.Per.CONNECTION)
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface OncePerConnection {
    }

    /** Answers {@code {"visit":"stereotype"}}, once per connection. */
    @OncePerConnection
    @ApplicationScoped
    public static class StereotypedVisitor {
        void visited(@Observes @Namespace("probe") StereotypeVisit visit) {
            visit.connection().send(Json.createObjectBuilder().add("visit", "stereotype").build());
        }
    }

    /** Declares the observer; not a bean itself. */
    public abstract static class VisitorBase {
        void visited(@Observes @Namespace("probe") InheritedVisit visit) {
            visit.connection().send(Json.createObjectBuilder().add("visit", "inherited").build());
        }
    }

    /** Inherits the observer; {@code @Once(per = CONNECTION)} is on this class, not on the one declaring it. */
    @Once(per = Once.Per.CONNECTION)
    @ApplicationScoped
    public static class InheritedVisitor extends VisitorBase {
    }
}
